import { describe, expect, it } from 'vitest';
import { MetricsRegistry } from '../../observability/index.ts';
import { LabelledCounts, orderManagerMetrics } from './order-manager-metrics.ts';

const valuesOf = async (registry: MetricsRegistry, name: string): Promise<Record<string, number>> => {
  const metric = await registry.registry.getSingleMetric(name)?.get();
  const out: Record<string, number> = {};
  for (const v of metric?.values ?? []) out[`${String(v.labels.kind)}/${String(v.labels.outcome)}`] = v.value;
  return out;
};

describe('LabelledCounts', () => {
  it('reads exact counts at every read, shared by every order manager of a registry', async () => {
    const registry = new MetricsRegistry();
    const a = orderManagerMetrics(registry);
    const b = orderManagerMetrics(registry);
    expect(a.venueEvent).toBe(b.venueEvent);
    a.venueEvent.incPrefixed('stream', 'EXPIRED', 'applied');
    b.venueEvent.incPrefixed('stream', 'EXPIRED', 'applied');
    a.venueEvent.inc('stream:EXPIRED', 'applied');
    a.venueEvent.incPrefixed('placement', 'ACKNOWLEDGED', 'duplicate');
    // Counted straight on the counter elsewhere (order-updates.ts): both add up.
    a.venueEvents.inc({ kind: 'stream:EXPIRED', outcome: 'applied' });
    expect(await valuesOf(registry, 'ninja_orders_venue_events_total')).toEqual({
      'stream:EXPIRED/applied': 4,
      'placement:ACKNOWLEDGED/duplicate': 1,
    });
    b.venueEvent.incPrefixed('stream', 'EXPIRED', 'applied');
    expect(await valuesOf(registry, 'ninja_orders_venue_events_total')).toEqual({
      'stream:EXPIRED/applied': 5,
      'placement:ACKNOWLEDGED/duplicate': 1,
    });
    expect(await registry.registry.metrics()).toContain(
      'ninja_orders_venue_events_total{kind="stream:EXPIRED",outcome="applied"} 5',
    );
  });

  it('keeps a collect the counter already had', async () => {
    const registry = new MetricsRegistry();
    let collected = 0;
    const counter = registry.counter({
      name: 'test_counts_total',
      help: 'test',
      labelNames: ['kind', 'outcome'],
      collect: () => {
        collected += 1;
      },
    });
    LabelledCounts.of(counter, 'kind', 'outcome').inc('x', 'y');
    expect(await valuesOf(registry, 'test_counts_total')).toEqual({ 'x/y': 1 });
    expect(collected).toBe(1);
  });
});
