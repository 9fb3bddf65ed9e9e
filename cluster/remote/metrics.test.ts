import { describe, expect, it } from 'vitest';
import { MetricsRegistry } from '../../observability/index.ts';
import { batchSizes, remoteMetrics, requestDurations } from './metrics.ts';

describe('ninja_remote_request_duration_seconds (counted outside prom-client)', () => {
  it('exposes cumulative buckets, sum and count per outcome, like a prom-client histogram', async () => {
    const registry = new MetricsRegistry();
    const durations = remoteMetrics(registry).requestDuration;
    durations.observe('ok', 0.0001);
    durations.observe('ok', 0.0005);
    durations.observe('ok', 0.003);
    durations.observe('timeout', 7);
    const { body } = await registry.expose();
    expect(body).toContain('# TYPE ninja_remote_request_duration_seconds histogram');
    expect(body).toContain('ninja_remote_request_duration_seconds_bucket{le="0.0002",outcome="ok"} 1');
    // A value on a bound counts in that bound's bucket (le: less than or equal).
    expect(body).toContain('ninja_remote_request_duration_seconds_bucket{le="0.0005",outcome="ok"} 2');
    expect(body).toContain('ninja_remote_request_duration_seconds_bucket{le="0.002",outcome="ok"} 2');
    expect(body).toContain('ninja_remote_request_duration_seconds_bucket{le="0.005",outcome="ok"} 3');
    expect(body).toContain('ninja_remote_request_duration_seconds_bucket{le="+Inf",outcome="ok"} 3');
    expect(body).toContain('ninja_remote_request_duration_seconds_count{outcome="ok"} 3');
    expect(body).toContain('ninja_remote_request_duration_seconds_sum{outcome="ok"} 0.0036');
    expect(body).toContain('ninja_remote_request_duration_seconds_bucket{le="5",outcome="timeout"} 0');
    expect(body).toContain('ninja_remote_request_duration_seconds_bucket{le="+Inf",outcome="timeout"} 1');
    // Outcomes never observed have no series.
    expect(body).not.toContain('outcome="unavailable"');
  });

  it('is shared by every transport on one registry, and reset with it', async () => {
    const registry = new MetricsRegistry();
    const first = requestDurations(registry);
    expect(remoteMetrics(registry).requestDuration).toBe(first);
    first.observe('error', 0.01);
    registry.registry.resetMetrics();
    expect((await registry.expose()).body).not.toContain('outcome="error"');
  });
});

describe('ninja_remote_batch_size (counted outside prom-client)', () => {
  it('exposes envelopes per batch by direction as a histogram, one series shared by every transport', async () => {
    const registry = new MetricsRegistry();
    const batches = remoteMetrics(registry).batchSize;
    expect(batchSizes(registry)).toBe(batches);
    batches.observe('out', 12);
    batches.observe('out', 256);
    batches.observe('in', 1);
    const { body } = await registry.expose();
    expect(body).toContain('# TYPE ninja_remote_batch_size histogram');
    expect(body).toContain('ninja_remote_batch_size_bucket{le="10",direction="out"} 0');
    expect(body).toContain('ninja_remote_batch_size_bucket{le="20",direction="out"} 1');
    expect(body).toContain('ninja_remote_batch_size_bucket{le="500",direction="out"} 2');
    expect(body).toContain('ninja_remote_batch_size_sum{direction="out"} 268');
    expect(body).toContain('ninja_remote_batch_size_count{direction="in"} 1');
  });
});
