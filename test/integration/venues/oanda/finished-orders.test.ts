import { afterEach, describe, expect, it } from 'vitest';
import { MetricsRegistry, createLogger } from '../../../../observability/index.ts';
import { startOandaSimulator } from '../../../../venues/sim/oanda/index.ts';
import type { OandaSimulator } from '../../../../venues/sim/oanda/index.ts';
import {
  FINISHED_ORDERS_TRACKED_MS,
  OandaConnector,
  OandaCredentials,
} from '../../../../venues/oanda/index.ts';
import { orderRequest } from './harness.ts';

const logger = createLogger({ level: 'silent', name: 'oanda-connector-test' });

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
    const first = orderRequest();
    expect((await connector.placeOrder(first)).kind).toBe('accepted');
    for (let i = 0; i < 2; i++) expect((await connector.placeOrder(orderRequest())).kind).toBe('accepted');
    expect(connector.trackedOrders).toBe(3);
    now += FINISHED_ORDERS_TRACKED_MS - 1;
    await connector.placeOrder(orderRequest());
    expect(connector.trackedOrders).toBe(4);
    now += 2;
    await connector.placeOrder(orderRequest());
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
