// Issue 6 acceptance, bad input: each is refused INVALID_ARGUMENT naming the field, with nothing
// journaled and nothing sent to the venue — here against a venue that supports fewer order types,
// time-in-force values and flags than the paper venue (as a real venue may), so "unsupported for
// the venue" is checked for each capability. (order-manager.test.ts and the gateway trading test
// cover the unknown instrument, zero/negative quantity, off-tick price and step cases through the
// paper venue's own capabilities.)
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlaceOrderRequest } from '../../../actors/orders/index.ts';
import { InvalidArgumentError, OrderType, TimeInForce, parseAccountId } from '../../../domain/index.ts';
import type { OrderRequest } from '../../../domain/index.ts';
import type { PlacementResult, VenueCapabilities } from '../../../venues/venue-connector.ts';
import type { TestDatabase } from '../../support/index.ts';
import {
  OUR_ACCOUNT,
  SwitchableEndpoint,
  journalLength,
  migratedDatabase,
  paperVenue,
  startTrader,
} from './trading-harness.ts';
import type { Trader } from './trading-harness.ts';

/** The paper venue seen through narrower capabilities, counting every placement that reaches it. */
class NarrowEndpoint extends SwitchableEndpoint {
  override readonly capabilities: VenueCapabilities = Object.freeze({
    orderTypes: Object.freeze([OrderType.MARKET, OrderType.LIMIT]),
    timeInForce: Object.freeze([TimeInForce.GTC, TimeInForce.IOC]),
    postOnly: false,
    reduceOnly: false,
  });
  sent = 0;
  lastSent: OrderRequest | undefined;
  override placeOrder(request: OrderRequest): Promise<PlacementResult> {
    this.sent += 1;
    this.lastSent = request;
    return super.placeOrder(request);
  }
}

describe('bad input to the order manager: field named, nothing journaled, nothing sent', () => {
  let database: TestDatabase;
  let trader: Trader;
  let endpoint: NarrowEndpoint;
  let venue: Awaited<ReturnType<typeof paperVenue>>;
  const account = parseAccountId(randomUUID());

  beforeAll(async () => {
    database = await migratedDatabase();
    const paper = await paperVenue();
    endpoint = new NarrowEndpoint(paper.connector);
    venue = { ...paper, endpoint };
    trader = startTrader(database, venue, account);
    await trader.reconcile();
  });

  afterAll(async () => {
    await trader?.stop();
    await database?.drop();
  });

  const cases: readonly [string, Partial<PlaceOrderRequest>, string][] = [
    ['an order type the venue does not support (STOP)', { type: 'STOP', stopPrice: '90.00' }, 'type'],
    [
      'an order type the venue does not support (STOP_LIMIT)',
      { type: 'STOP_LIMIT', stopPrice: '90.00' },
      'type',
    ],
    ['a time in force the venue does not support (FOK)', { timeInForce: 'FOK' }, 'timeInForce'],
    ['post-only on a venue without it', { postOnly: true }, 'postOnly'],
    ['reduce-only on a venue without it', { reduceOnly: true }, 'reduceOnly'],
    ['an unknown order type', { type: 'ICEBERG' }, 'type'],
    [
      'an instrument on a venue this node does not reach',
      { instrumentId: 'BTC-USD.NOWHERE' },
      'instrumentId',
    ],
    ['a malformed instrument id', { instrumentId: 'BTC USD' }, 'instrumentId'],
    ['a zero quantity', { quantity: '0.0000' }, 'quantity'],
    ['a negative quantity', { quantity: '-0.5000' }, 'quantity'],
    ['a zero price', { price: '0.00' }, 'price'],
    ['a negative price', { price: '-100.00' }, 'price'],
    ['a price off the 0.01 tick', { price: '100.005' }, 'price'],
    ['a quantity off the 0.0001 step', { quantity: '1.00005' }, 'quantity'],
    ['more decimals than any value holds (price)', { price: `100.${'0'.repeat(18)}1` }, 'price'],
    ['more decimals than any value holds (quantity)', { quantity: `1.${'0'.repeat(18)}1` }, 'quantity'],
    ['a price that is not decimal text', { price: '1e2' }, 'price'],
    ['a quantity that is not decimal text', { quantity: '0x10' }, 'quantity'],
  ];

  it.each(cases)('refuses %s naming %j', async (_label, bad, field) => {
    const before = await journalLength(database, account);
    const sent = endpoint.sent;
    const error = await trader
      .place({ clientOrderId: `bad-${randomUUID().slice(0, 8)}`, ...bad })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).field).toBe(field);
    expect(await journalLength(database, account)).toBe(before);
    expect(endpoint.sent).toBe(sent);
    expect(venue.engine.openOrders(OUR_ACCOUNT)).toEqual([]);
  });

  it('still places a valid order afterwards (the refusals changed nothing)', async () => {
    const order = await trader.place({ clientOrderId: 'good-1' });
    expect(order.status).toBe('ACKNOWLEDGED');
    expect(endpoint.sent).toBe(1);
    expect((await trader.list()).map((o) => o.clientOrderId)).toEqual(['good-1']);
  });

  it('gives a market order that names no time in force IOC, as the venue receives it (GTC would rest)', async () => {
    const order = await trader.place({ clientOrderId: 'market-1', type: 'MARKET' });
    expect(order.timeInForce).toBe(TimeInForce.IOC);
    expect(endpoint.lastSent?.type).toBe(OrderType.MARKET);
    expect(endpoint.lastSent?.timeInForce).toBe(TimeInForce.IOC);
    const limit = await trader.place({ clientOrderId: 'limit-1', price: '90.00' });
    expect(limit.timeInForce).toBe(TimeInForce.GTC);
  });
});
