import { describe, expect, it } from 'vitest';
import { MetricsRegistry } from '../../observability/index.ts';
import { requestLatency } from './request-latency.ts';

describe('requestLatency', () => {
  it('exposes cumulative Prometheus buckets, sum and count per kind', async () => {
    const metrics = new MetricsRegistry();
    const latency = requestLatency(metrics);
    latency.observe('orders', 0.000007);
    latency.observe('orders', 0.0003);
    latency.observe('orders', 9);
    const body = (await metrics.expose()).body;
    expect(body).toContain('# TYPE ninja_actor_request_duration_seconds histogram');
    expect(body).toContain('ninja_actor_request_duration_seconds_bucket{le="0.00001",kind="orders"} 1');
    expect(body).toContain('ninja_actor_request_duration_seconds_bucket{le="0.0005",kind="orders"} 2');
    expect(body).toContain('ninja_actor_request_duration_seconds_bucket{le="5",kind="orders"} 2');
    expect(body).toContain('ninja_actor_request_duration_seconds_bucket{le="+Inf",kind="orders"} 3');
    expect(body).toContain('ninja_actor_request_duration_seconds_count{kind="orders"} 3');
  });
});
