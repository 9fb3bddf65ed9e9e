// A strategy that keeps crashing is stopped by kernel supervision and reported FAILED with why;
// the driver stops ticking it, and its neighbours keep running.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterNode } from '../../../cluster/index.ts';
import { MetricsRegistry } from '../../../observability/index.ts';
import { createStrategyHost } from '../../../nodes/dev-strategies.ts';
import type { StrategyHost } from '../../../nodes/dev-strategies.ts';
import { testLogger, waitFor } from '../../support/index.ts';

const metrics = new MetricsRegistry();
let node: ClusterNode;
let host: StrategyHost;

const goodConfig = {
  accountId: '8a1e7c52-3f0b-4d6e-9a7c-2b5d8e1f4a6c',
  book: 'book/paper/BTC-USD',
  instrumentId: 'BTC-USD.PAPER',
  halfSpreadBps: 5,
  skewBpsAtLimit: 10,
  requoteThresholdBps: 3,
  quoteSize: '0.01',
  maxPosition: '0.1',
  tick: '0.01',
  step: '0.0001',
  maxOrdersPerMinute: 30,
};

async function counter(name: string): Promise<number> {
  const data = await metrics.registry.getSingleMetric(name)?.get();
  return (data?.values ?? []).reduce((sum, v) => sum + v.value, 0);
}

beforeAll(async () => {
  node = new ClusterNode({
    nodeId: 's1',
    roles: ['strategy'],
    version: 'test',
    logger: testLogger('strategies'),
    metrics,
    membership: { type: 'static' },
  });
  host = createStrategyHost({ logger: testLogger('strategy-host'), metrics, tickMs: 100 });
  host.register(node);
  await node.start();
});

afterAll(async () => {
  await host.stop();
  await node.stop();
});

describe('demo strategy supervision', () => {
  it('stops a strategy that crashes too often as FAILED, says why, and stops ticking it', async () => {
    host.start(node, {
      // A quote size below one step is refused by validation on every tick: a crash each time.
      marketMakers: [{ identity: 'strategy/mm-broken', config: { ...goodConfig, quoteSize: '0.00001' } }],
      // Its neighbour has no books to read (no venue kinds here): it keeps watching, never crashes.
      arbitrage: [
        {
          identity: 'arbitrage/quiet',
          config: {
            legs: ['paper', 'binanceus'].map((venue) => ({
              venue,
              accountId: goodConfig.accountId,
              book: `book/${venue}/BTC-USD`,
              instrumentId: `BTC-USD.${venue.toUpperCase()}`,
              takerFee: '0.001',
              step: '0.0001',
            })),
            minNetBps: 2,
            maxQuantity: '0.01',
            maxActionsPerMinute: 6,
          },
        },
      ],
    });
    await waitFor(
      () => host.health.isFailed('strategy/mm-broken'),
      30_000,
      'the broken strategy to be FAILED',
    );
    const status = host.health.status('strategy/mm-broken');
    expect(status.state).toBe('FAILED');
    expect(status.crashes).toBe(4);
    expect(status.lastError).toMatch(/InvalidArgumentError: .*quoteSize/);
    expect(status.activity).toMatch(/stopped after 4 crashes/);
    expect(await counter('ninja_strategy_failed_total')).toBe(1);
    // No more ticks reach it: the crash count stays.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(host.health.status('strategy/mm-broken').crashes).toBe(4);
    expect(host.health.status('arbitrage/quiet')).toMatchObject({ state: 'running', crashes: 0 });
    expect(host.health.status('arbitrage/quiet').activity).toMatch(/watching 0\/2 venues/);
  });
});
