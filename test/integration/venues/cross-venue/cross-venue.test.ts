import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newOrderId, parseAccountId, parseClientOrderId } from '../../../../domain/index.ts';
import type { Instrument, OrderRequest, OrderSide } from '../../../../domain/index.ts';
import { Price, Quantity } from '../../../../domain/values/index.ts';
import type {
  PlacementResult,
  VenueExecutionEvent,
  VenueFill,
  VenueOrderSnapshot,
} from '../../../../venues/venue-connector.ts';
import { waitFor } from '../../../support/index.ts';
import { binanceFixture, coinbaseFixture, oandaFixture, paperFixture } from './venue-fixtures.ts';
import type { VenueFixture } from './venue-fixtures.ts';

/**
 * The same strategy-level order flow, written once, run against four real connectors through the
 * VenueConnector contract only: Binance.US, Coinbase and OANDA each against its simulator, and the
 * paper venue. Each run records its domain-level outcomes; the last test asserts they are identical.
 */
const VENUES = [
  { name: 'binanceus', start: binanceFixture, network: true },
  { name: 'coinbase', start: coinbaseFixture, network: true },
  { name: 'oanda', start: oandaFixture, network: true },
  { name: 'paper', start: paperFixture, network: false },
] as const;

const outcomes = new Map<string, Record<string, unknown>>();
const ACCOUNT = parseAccountId('5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b');
let serial = 0;

describe.sequential.each(VENUES)('cross-venue order flow on $name', ({ name, start, network }) => {
  let v: VenueFixture;
  let instrument: Instrument;
  const events: VenueExecutionEvent[] = [];
  const outcome: Record<string, unknown> = {};

  beforeAll(async () => {
    v = await start();
    v.connector.onExecution((e) => events.push(e));
    await v.connector.start();
    outcomes.set(name, outcome);
  });
  afterAll(async () => {
    await v.close();
  });

  const order = (side: OrderSide, quantity: string, price: string): OrderRequest => ({
    id: newOrderId(),
    clientOrderId: parseClientOrderId(`xv-${process.pid}-${Date.now().toString(36)}-${++serial}`),
    accountId: ACCOUNT,
    instrumentId: instrument.id,
    side,
    type: 'LIMIT',
    timeInForce: 'GTC',
    quantity: Quantity.parse(quantity),
    price: Price.parse(price),
    createdAt: Date.now(),
  });
  const statusEvents = (request: OrderRequest): string[] =>
    events.flatMap((e) =>
      e.kind === 'order' && e.order.clientOrderId === request.clientOrderId ? [e.order.status] : [],
    );
  const fillEvents = (request: OrderRequest): VenueFill[] =>
    events.flatMap((e) =>
      e.kind === 'fill' && e.fill.clientOrderId === request.clientOrderId ? [e.fill] : [],
    );
  const accepted = (result: PlacementResult): VenueOrderSnapshot => {
    if (result.kind !== 'accepted') throw new Error(`expected acceptance, got ${JSON.stringify(result)}`);
    return result.order;
  };
  const until = (what: string, check: () => boolean): Promise<void> => waitFor(check, 10_000, what);

  it('loads the instruments', () => {
    const found = v.connector.instruments().find((i) => i.symbol === v.symbol);
    expect(found, `${v.symbol} among the instruments`).toBeDefined();
    instrument = found as Instrument;
    outcome['instrumentLoaded'] = true;
  });

  it('acknowledges a limit order, fills it partly then fully, with fees, and the queries agree', async () => {
    const request = order('BUY', v.quantity, v.price);
    const placed = accepted(await v.connector.placeOrder(request));
    outcome['placed'] = { status: placed.status, filled: placed.filledQuantity.isZero() ? '0' : 'some' };
    await until('ACKNOWLEDGED event', () => statusEvents(request).includes('ACKNOWLEDGED'));

    v.cross(`cp-${serial}-a`, v.partial, v.price);
    await until('first fill event', () => fillEvents(request).length === 1);
    await until('PARTIALLY_FILLED event', () => statusEvents(request).includes('PARTIALLY_FILLED'));
    const first = fillEvents(request)[0] as VenueFill;
    expect(first.quantity.eq(Quantity.parse(v.partial))).toBe(true);
    expect(first.price.eq(Price.parse(v.price))).toBe(true);
    // Binance and the paper venue charge a buy's fee in the asset received, Coinbase and OANDA in the quote.
    expect([instrument.baseAsset, instrument.quoteAsset]).toContain(first.fee.currency);
    expect(first.fee.isNegative()).toBe(false);
    const partial = await v.connector.getOrder(request);
    // Liquidity is not compared: OANDA is a dealer, so every fill there takes its price (TAKER).
    outcome['partial'] = { status: partial?.status, side: first.side };

    const rest = Quantity.parse(v.quantity).sub(Quantity.parse(v.partial)).toString();
    v.cross(`cp-${serial}-b`, rest, v.price);
    await until('second fill event', () => fillEvents(request).length === 2);
    await until('FILLED event', () => statusEvents(request).includes('FILLED'));
    const done = await v.connector.getOrder(request);
    expect(done?.filledQuantity.eq(Quantity.parse(v.quantity))).toBe(true);

    const streamed = fillEvents(request);
    const queried = await v.connector.orderFills(request);
    const key = (f: VenueFill): string => `${f.tradeId}|${f.quantity.toString()}|${f.price.toString()}`;
    expect(queried.map(key).sort()).toEqual(streamed.map(key).sort());
    outcome['filled'] = {
      status: done?.status,
      fills: streamed.length,
      queriedFills: queried.length,
      fillsTotalQuantity: streamed
        .reduce((s, f) => s.add(f.quantity), Quantity.parse('0'))
        .eq(Quantity.parse(v.quantity)),
      statuses: [...new Set(statusEvents(request))],
    };
    const open = await v.connector.openOrders(instrument.id);
    expect(open.map((o) => o.clientOrderId)).not.toContain(request.clientOrderId);
  });

  it('lists an open order, cancels it, and reports the cancel on the stream', async () => {
    const request = order('BUY', v.quantity, v.lowerPrice);
    accepted(await v.connector.placeOrder(request));
    const open = await v.connector.openOrders(instrument.id);
    const listed = open.find((o) => o.clientOrderId === request.clientOrderId);
    const cancelled = await v.connector.cancelOrder({
      instrumentId: instrument.id,
      clientOrderId: request.clientOrderId,
    });
    await until('CANCELLED event', () => statusEvents(request).includes('CANCELLED'));
    const after = await v.connector.openOrders(instrument.id);
    outcome['cancel'] = {
      listedOpen: listed?.status,
      cancelled: cancelled.status,
      stillOpen: after.some((o) => o.clientOrderId === request.clientOrderId),
      queried: (await v.connector.getOrder(request))?.status,
    };
  });

  it("rejects an order the account cannot cover, with the venue's reason", async () => {
    const result = await v.connector.placeOrder(order('SELL', v.overBalance.quantity, v.overBalance.price));
    expect(result.kind).toBe('rejected');
    if (result.kind === 'rejected') expect(result.reason).toMatch(v.rejectReason);
    outcome['reject'] = result.kind;
  });

  it.runIf(network)('resolves a 5xx after execution by query: one order at the venue', async () => {
    const net = v.network;
    if (net === undefined) throw new Error('no network faults on this venue');
    net.faults.apply({ serverError: { status: 503, count: 1, executed: true, paths: [net.orderPath] } });
    const request = order('BUY', v.quantity, v.lowerPrice);
    const placed = accepted(await v.connector.placeOrder(request));
    expect(net.acceptedCount(request.clientOrderId)).toBe(1);
    net.faults.apply({ lostAck: { count: 1, paths: [net.orderPath] } });
    const second = order('BUY', v.quantity, v.lowerPrice);
    const lost = accepted(await v.connector.placeOrder(second));
    expect(net.acceptedCount(second.clientOrderId)).toBe(1);
    net.faults.clear();
    outcome['unknownOutcome'] = { afterServerError: placed.status, afterLostAck: lost.status };
    for (const r of [request, second])
      await v.connector.cancelOrder({ instrumentId: instrument.id, clientOrderId: r.clientOrderId });
  });

  it.runIf(network)('reconnects a dropped private stream and says so', async () => {
    const net = v.network;
    if (net === undefined) throw new Error('no network faults on this venue');
    const before = events.filter((e) => e.kind === 'reconnected').length;
    net.dropStreams();
    await until('reconnected event', () => events.filter((e) => e.kind === 'reconnected').length > before);
    // The stream works again: a new order is reported on it.
    const request = order('BUY', v.quantity, v.lowerPrice);
    accepted(await v.connector.placeOrder(request));
    await until('ACKNOWLEDGED after reconnect', () => statusEvents(request).includes('ACKNOWLEDGED'));
    await v.connector.cancelOrder({ instrumentId: instrument.id, clientOrderId: request.clientOrderId });
    outcome['reconnected'] = true;
  });
});

describe('cross-venue outcomes', () => {
  it('are identical on every venue (network-only steps compared among the networked venues)', () => {
    const [first, ...others] = VENUES.map((v) => ({
      name: v.name,
      network: v.network,
      o: outcomes.get(v.name),
    }));
    expect(first?.o).toBeDefined();
    const common = (o: Record<string, unknown> | undefined): Record<string, unknown> => {
      const { unknownOutcome: _u, reconnected: _r, ...rest } = o ?? {};
      return rest;
    };
    for (const other of others) {
      expect({ venue: other.name, ...common(other.o) }).toEqual({ venue: other.name, ...common(first?.o) });
      if (other.network && first?.network)
        expect([other.o?.['unknownOutcome'], other.o?.['reconnected']]).toEqual([
          first.o?.['unknownOutcome'],
          first.o?.['reconnected'],
        ]);
    }
    expect(common(first?.o)).toEqual({
      instrumentLoaded: true,
      placed: { status: 'ACKNOWLEDGED', filled: '0' },
      partial: { status: 'PARTIALLY_FILLED', side: 'BUY' },
      filled: {
        status: 'FILLED',
        fills: 2,
        queriedFills: 2,
        fillsTotalQuantity: true,
        statuses: ['ACKNOWLEDGED', 'PARTIALLY_FILLED', 'FILLED'],
      },
      cancel: { listedOpen: 'ACKNOWLEDGED', cancelled: 'CANCELLED', stillOpen: false, queried: 'CANCELLED' },
      reject: 'rejected',
    });
  });
});
