import { afterEach, describe, expect, it, vi } from 'vitest';
import { MetricsRegistry } from '../../../../observability/index.ts';
import type { Logger } from '../../../../observability/index.ts';
import {
  CoinbaseConnector,
  CoinbaseCredentials,
  FINISHED_ORDERS_SEEN_MS,
} from '../../../../venues/coinbase/index.ts';
import { startCoinbaseSimulator } from '../../../../venues/sim/coinbase/index.ts';
import type { CoinbaseSimulator } from '../../../../venues/sim/coinbase/index.ts';
import type { CoinbaseConnectorOptions } from '../../../../venues/coinbase/index.ts';
import type { VenueExecutionEvent } from '../../../../venues/venue-connector.ts';
import { testLogger } from '../../../support/index.ts';
import { until } from './harness.ts';
import { BTC_USD, orderRequest } from './orders.ts';

/** A connector to the simulator, with the test's `options` on top. */
function connectorTo(
  sim: CoinbaseSimulator,
  logger: Logger,
  options: Partial<CoinbaseConnectorOptions> = {},
): CoinbaseConnector {
  if (sim.privateKeyPem === undefined) throw new Error('the simulator generated no key');
  return new CoinbaseConnector({
    config: {
      urls: { rest: sim.restUrl, wsMarket: sim.wsMarketUrl, wsUser: sim.wsUserUrl },
      requestTimeoutMs: 2000,
    },
    credentials: new CoinbaseCredentials(sim.keyName, sim.privateKeyPem),
    logger,
    metrics: new MetricsRegistry(),
    ...options,
  });
}

describe('Coinbase user stream: finished orders', () => {
  let sim: CoinbaseSimulator | undefined;
  let connector: CoinbaseConnector | undefined;
  afterEach(async () => {
    await connector?.close();
    await sim?.close();
    vi.useRealTimers();
  });

  it('remembers a finished order for FINISHED_ORDERS_SEEN_MS, not for the newest 10,000', async () => {
    // Only the clock is moved (timers run as usual), for the simulator and the connector alike: the
    // connector's JWTs are checked against the simulator's clock.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const logger = testLogger('coinbase-finished-orders');
    sim = await startCoinbaseSimulator({ port: 0, seed: 7, logger, seedLevels: 0 });
    connector = connectorTo(sim, logger);
    const c = connector;
    const events: VenueExecutionEvent[] = [];
    c.onExecution((event) => events.push(event));
    await c.start();
    /** A resting order, cancelled: finished once the user stream has reported it cancelled. */
    const placeAndCancel = async (): Promise<void> => {
      const request = orderRequest({ side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '20000.00' });
      expect((await c.placeOrder(request)).kind).toBe('accepted');
      await c.cancelOrder({ instrumentId: BTC_USD, clientOrderId: request.clientOrderId });
      await until(
        () =>
          events.some(
            (e) =>
              e.kind === 'order' &&
              e.order.clientOrderId === request.clientOrderId &&
              e.order.status === 'CANCELLED',
          ),
        5_000,
        `the user stream's CANCELLED of ${request.clientOrderId}`,
      );
    };
    for (let i = 0; i < 3; i++) await placeAndCancel();
    expect(c.userStreamOrders).toBe(3);
    vi.setSystemTime(Date.now() + FINISHED_ORDERS_SEEN_MS + 1);
    await placeAndCancel();
    expect(c.userStreamOrders).toBe(1);
  });
});

describe('Coinbase connector: venue order ids by client order id', () => {
  let sim: CoinbaseSimulator | undefined;
  let connector: CoinbaseConnector | undefined;
  afterEach(async () => {
    await connector?.close();
    await sim?.close();
  });

  it('remembers the newest venueIdsKept, and finds an older order by its client order id', async () => {
    const logger = testLogger('coinbase-venue-ids');
    sim = await startCoinbaseSimulator({ port: 0, seed: 7, logger, seedLevels: 0 });
    const started = sim;
    expect(() => connectorTo(started, logger, { venueIdsKept: 0 })).toThrow(/venueIdsKept/);
    connector = connectorTo(sim, logger, { venueIdsKept: 2 });
    await connector.start();
    const requests = [0, 1, 2].map(() =>
      orderRequest({ side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '20000.00' }),
    );
    const venueIds: string[] = [];
    for (const request of requests) {
      const placed = await connector.placeOrder(request);
      if (placed.kind !== 'accepted') throw new Error(`order refused: ${JSON.stringify(placed)}`);
      venueIds.push(placed.order.venueOrderId);
    }
    expect(connector.venueIdsKnown).toBe(2);
    const first = requests[0];
    if (first === undefined) throw new Error('no first request');
    const found = await connector.getOrder({ instrumentId: BTC_USD, clientOrderId: first.clientOrderId });
    expect(found?.venueOrderId).toBe(venueIds[0]);
    expect(connector.venueIdsKnown).toBe(2);
  });
});
