import { afterEach, describe, expect, it } from 'vitest';
import {
  parseAccountId,
  parseClientOrderId,
  parseInstrumentId,
  parseOrderId,
} from '../../../../domain/index.ts';
import type { OrderRequest } from '../../../../domain/index.ts';
import { Quantity } from '../../../../domain/values/index.ts';
import { MetricsRegistry, createLogger } from '../../../../observability/index.ts';
import { startOandaSimulator } from '../../../../venues/sim/oanda/index.ts';
import type { OandaSimulator } from '../../../../venues/sim/oanda/index.ts';
import {
  FINISHED_ORDERS_TRACKED_MS,
  OandaConnector,
  OandaCredentials,
} from '../../../../venues/oanda/index.ts';

const logger = createLogger({ level: 'silent', name: 'oanda-connector-test' });

function marketOrder(n: number): OrderRequest {
  return {
    id: parseOrderId(`0b6f3c9e-5d1a-4f7e-9c2b-${n.toString(16).padStart(12, '0')}`),
    clientOrderId: parseClientOrderId(`retention-${String(n)}`),
    accountId: parseAccountId('4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f'),
    instrumentId: parseInstrumentId('EUR_USD.OANDA'),
    side: 'BUY',
    type: 'MARKET',
    timeInForce: 'FOK',
    quantity: Quantity.parse('1000'),
    createdAt: Date.now(),
  };
}

describe('OandaConnector finished orders', () => {
  let sim: OandaSimulator | undefined;
  let connector: OandaConnector | undefined;
  afterEach(async () => {
    await connector?.close();
    await sim?.close();
  });

  it('keeps a finished order tracked for FINISHED_ORDERS_TRACKED_MS, then asks the venue about it', async () => {
    sim = await startOandaSimulator({ port: 0, seed: 3, logger, heartbeatIntervalMs: 100 });
    let now = 1_000_000;
    connector = new OandaConnector({
      config: { urls: { rest: sim.restUrl, stream: sim.streamUrl } },
      credentials: new OandaCredentials(sim.token, sim.accountId),
      logger,
      metrics: new MetricsRegistry(),
      now: () => now,
    });
    await connector.start();
    const first = marketOrder(1);
    for (const n of [1, 2, 3]) expect((await connector.placeOrder(marketOrder(n))).kind).toBe('accepted');
    expect(connector.trackedOrders).toBe(3);
    now += FINISHED_ORDERS_TRACKED_MS - 1;
    await connector.placeOrder(marketOrder(4));
    expect(connector.trackedOrders).toBe(4);
    now += 2;
    await connector.placeOrder(marketOrder(5));
    // The three finished more than FINISHED_ORDERS_TRACKED_MS ago are no longer tracked (a count of
    // 10,000 alone would keep them for hours at a slow account's rate).
    expect(connector.trackedOrders).toBe(2);
    // ... and are still found, at the venue.
    const snapshot = await connector.getOrder({
      instrumentId: first.instrumentId,
      clientOrderId: first.clientOrderId,
    });
    expect(snapshot?.status).toBe('FILLED');
    expect(snapshot?.filledQuantity.toString()).toBe('1000');
  });
});
