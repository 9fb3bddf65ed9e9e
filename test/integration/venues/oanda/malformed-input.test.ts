import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Price, Quantity } from '../../../../domain/values/index.ts';
import type { MarketDataEvent } from '../../../../venues/venue-connector.ts';
import { EUR_USD, metricValue, orderRequest, startHarness, until } from './harness.ts';
import type { Harness } from './harness.ts';

const BAD_PRICES = [
  'not json at all',
  '{"type":"PRICE","instrument":"EUR_USD","time":"2017-03-09T13:37:46.048197280Z"}',
  '{"type":"PRICE","instrument":"EUR_USD","time":"yesterday","tradeable":true,"bids":[],"asks":[],"closeoutBid":"1","closeoutAsk":"1"}',
  '{"type":"PRICE","instrument":"EUR_USD","time":"2017-03-09T13:37:46.048197280Z","tradeable":true,"bids":[{"price":1.1,"liquidity":1}],"asks":[],"closeoutBid":"1.1","closeoutAsk":"1.1"}',
  '{"type":"SURPRISE"}',
];
const BAD_TRANSACTIONS = [
  '{"type":"ORDER_FILL","id":"x1"',
  '{"type":"ORDER_FILL","id":"99999","time":"2017-03-09T13:37:46.048197280Z"}',
  '[]',
];

describe('malformed venue lines on the OANDA streams', () => {
  let h: Harness;
  const market: MarketDataEvent[] = [];

  beforeAll(async () => {
    h = await startHarness();
    h.connector.subscribeMarketData(EUR_USD, (e) => market.push(e));
    await until(() => market.some((e) => e.kind === 'snapshot'), 3000, 'first price');
  });
  afterAll(async () => h.close());

  it('logs each with its raw text, counts it, and keeps both streams working', async () => {
    for (const line of BAD_PRICES) expect(h.sim.control.injectLine(line, 'pricing')).toBe(1);
    for (const line of BAD_TRANSACTIONS) expect(h.sim.control.injectLine(line, 'transactions')).toBe(1);
    await until(
      async () =>
        (await metricValue(h.metrics, 'oanda_malformed_payloads_total', { kind: 'pricing' })) ===
          BAD_PRICES.length &&
        (await metricValue(h.metrics, 'oanda_malformed_payloads_total', { kind: 'transactions' })) ===
          BAD_TRANSACTIONS.length,
      3000,
      'malformed lines counted',
    );
    for (const raw of [...BAD_PRICES, ...BAD_TRANSACTIONS]) {
      expect(
        h.logLines.some(
          (l) => l.includes('malformed OANDA stream line') && l.includes(JSON.stringify(raw).slice(1, -1)),
        ),
      ).toBe(true);
    }
    // Nothing was replaced: the lines were skipped, not treated as a broken connection.
    expect(await metricValue(h.metrics, 'oanda_stream_reconnects_total')).toBe(0);
    const snapshots = market.length;
    const request = orderRequest({
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: Quantity.parse('1000'),
      price: Price.parse('1.00000'),
    });
    expect((await h.connector.placeOrder(request)).kind).toBe('accepted');
    await until(
      () => h.connector.lastTransactionId === h.sim.control.lastTransactionId,
      3000,
      'transaction stream still delivering',
    );
    h.sim.control.step(50);
    await until(() => market.length > snapshots, 3000, 'prices still delivered');
  });
});
