import { describe, expect, it } from 'vitest';
import {
  Money,
  OrderEvent,
  Price,
  Quantity,
  applyOrderEvent,
  createOrder,
  parseAccountId,
  parseClientOrderId,
  parseInstrumentId,
  parseOrderId,
  parseTradeId,
  parseVenueId,
  parseVenueOrderId,
} from '../../domain/index.ts';
import type { Order, OrderStatus } from '../../domain/index.ts';
import type { VenueFill, VenueOrderSnapshot } from '../../venues/venue-connector.ts';
import { acceptEvents } from './accept-events.ts';
import { applyOrdersEvent, emptyOrdersState, intentEvent, orderEvent } from './orders-state.ts';
import type { OrdersEvent } from './orders-state.ts';
import { decodeOrder, decodeOrderEvent, encodeOrder, encodeOrderEvent } from './order-codec.ts';
import type { OrderEventJson, OrderJson } from './order-codec.ts';
import {
  CANCEL_TARGET_GONE,
  NEVER_RECEIVED,
  RepairKind,
  fillEvent,
  planOrderRepairs,
} from './reconciliation.ts';

const CID = parseClientOrderId('ng-rec-1');
const VID = parseVenueOrderId('v-1');
const INSTRUMENT = parseInstrumentId('BTC-USD.PAPER');
const T = 1_700_000_000_000;

function pending(): Order {
  const order = createOrder({
    id: parseOrderId('0b6f3c9e-5d1a-4f7e-9c2b-8a4d6e1f3a5b'),
    clientOrderId: CID,
    accountId: parseAccountId('5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b'),
    instrumentId: INSTRUMENT,
    side: 'BUY',
    type: 'LIMIT',
    timeInForce: 'GTC',
    quantity: Quantity.parse('1.00'),
    price: Price.parse('100.00'),
    createdAt: T,
  });
  return applyOrderEvent(order, OrderEvent.submitted({ clientOrderId: CID, timestamp: T }));
}

function snapshot(status: OrderStatus, filled: string): VenueOrderSnapshot {
  return {
    instrumentId: INSTRUMENT,
    clientOrderId: CID,
    venueOrderId: VID,
    side: 'BUY',
    type: 'LIMIT',
    status,
    quantity: Quantity.parse('1.00'),
    filledQuantity: Quantity.parse(filled),
    price: Price.parse('100.00'),
    updatedAt: T + 5,
  };
}

function venueFill(tradeId: string, quantity: string, at = T + 3): VenueFill {
  return {
    instrumentId: INSTRUMENT,
    clientOrderId: CID,
    venueOrderId: VID,
    tradeId: parseTradeId(tradeId),
    side: 'BUY',
    price: Price.parse('100.00'),
    quantity: Quantity.parse(quantity),
    fee: Money.parse('0.01', 'USD'),
    liquidity: 'MAKER',
    timestamp: at,
  };
}

const kinds = (plan: ReturnType<typeof planOrderRepairs>) =>
  plan.repairs.map((r) => `${r.kind}:${r.event.kind}`);

describe('planOrderRepairs', () => {
  it('rejects a pending order the venue never received', () => {
    const plan = planOrderRepairs(pending(), { clientOrderId: CID, snapshot: undefined, fills: [] }, T + 10);
    expect(kinds(plan)).toEqual([`${RepairKind.NEVER_RECEIVED}:REJECTED`]);
    expect(plan.repairs[0]?.event).toMatchObject({ reason: NEVER_RECEIVED });
  });

  it('never guesses about an acknowledged order the venue does not list: anomaly, no event', () => {
    const acked = applyOrderEvent(
      pending(),
      OrderEvent.acknowledged({ clientOrderId: CID, timestamp: T, venueOrderId: VID }),
    );
    const plan = planOrderRepairs(acked, { clientOrderId: CID, snapshot: undefined, fills: [] }, T + 10);
    expect(plan.repairs).toEqual([]);
    expect(plan.anomaly).toMatch(/no record/);
  });

  it('cancels an order it asked to cancel that the venue no longer knows, keeping its fills', () => {
    const cancelling = [
      OrderEvent.acknowledged({ clientOrderId: CID, timestamp: T, venueOrderId: VID }),
      fillEvent(venueFill('t1', '0.40', T + 1)),
      OrderEvent.cancelRequested({ clientOrderId: CID, timestamp: T + 2 }),
    ].reduce(applyOrderEvent, pending());
    expect(cancelling.status).toBe('PENDING_CANCEL');
    const plan = planOrderRepairs(cancelling, { clientOrderId: CID, snapshot: undefined, fills: [] }, T + 10);
    expect(kinds(plan)).toEqual([`${RepairKind.CANCEL_TARGET_GONE}:CANCELLED`]);
    expect(plan.anomaly).toBeUndefined();
    const result = acceptEvents(
      cancelling,
      plan.repairs.map((r) => r.event),
    );
    expect(result.skipped).toEqual([]);
    expect(result.order.status).toBe('CANCELLED');
    expect(result.order.filledQuantity.toString()).toBe('0.40');
    expect(plan.repairs[0]?.event).toMatchObject({ reason: CANCEL_TARGET_GONE });
  });

  it('acknowledges, applies missing fills oldest first, then the venue status', () => {
    const fills = [venueFill('t2', '0.30', T + 4), venueFill('t1', '0.20', T + 3)];
    const plan = planOrderRepairs(
      pending(),
      { clientOrderId: CID, snapshot: snapshot('CANCELLED', '0.50'), fills },
      T + 10,
    );
    expect(kinds(plan)).toEqual([
      'acknowledged:ACKNOWLEDGED',
      'missing-fill:FILLED',
      'missing-fill:FILLED',
      'status:CANCELLED',
    ]);
    const result = acceptEvents(
      pending(),
      plan.repairs.map((r) => r.event),
    );
    expect(result.skipped).toEqual([]);
    expect(result.order.status).toBe('CANCELLED');
    expect(result.order.filledQuantity.toString()).toBe('0.50');
  });

  it('holds back a terminal status until its fills are known', () => {
    const plan = planOrderRepairs(
      pending(),
      { clientOrderId: CID, snapshot: snapshot('CANCELLED', '0.50'), fills: [venueFill('t1', '0.20')] },
      T + 10,
    );
    expect(kinds(plan)).toEqual(['acknowledged:ACKNOWLEDGED', 'missing-fill:FILLED']);
    expect(plan.anomaly).toMatch(/0.50 filled/);
  });

  it('skips fills already applied', () => {
    const filled = applyOrderEvent(pending(), fillEvent(venueFill('t1', '0.20')));
    const plan = planOrderRepairs(
      filled,
      {
        clientOrderId: CID,
        snapshot: snapshot('PARTIALLY_FILLED', '0.20'),
        fills: [venueFill('t1', '0.20')],
      },
      T + 10,
    );
    expect(plan.repairs).toEqual([]);
  });
});

describe('acceptEvents', () => {
  it('sets aside duplicates, overfills and illegal transitions with their reason', () => {
    const result = acceptEvents(pending(), [
      fillEvent(venueFill('t1', '0.60')),
      fillEvent(venueFill('t1', '0.60')),
      fillEvent(venueFill('t2', '0.60')),
      OrderEvent.submitted({ clientOrderId: CID, timestamp: T }),
    ]);
    expect(result.events.map((e) => e.kind)).toEqual(['FILLED']);
    expect(result.skipped.map((s) => s.reason)).toEqual(['duplicate', 'overfill', 'illegal']);
  });

  it('keeps what each accepted event made of the order it was decided against', () => {
    const order = pending();
    const fill = fillEvent(venueFill('t1', '0.25'));
    const cancel = OrderEvent.cancelRequested({ clientOrderId: CID, timestamp: T + 6 });
    const result = acceptEvents(order, [fill, cancel]);
    const [first, second] = result.decided;
    expect(first?.event).toBe(fill);
    expect(first?.before).toBe(order);
    expect(first?.after).toEqual(applyOrderEvent(order, fill));
    expect(second?.before).toBe(first?.after);
    expect(second?.after).toBe(result.order);
  });

  it('applies a decided event as decided and journals it without the live values', () => {
    const tracked = {
      order: pending(),
      instrument: { id: INSTRUMENT, venue: parseVenueId('paper'), baseAsset: 'BTC', quoteAsset: 'USD' },
      reservePrice: Price.parse('100.00'),
    };
    const state = emptyOrdersState();
    applyOrdersEvent(state, intentEvent(tracked));
    expect(state.orders.get(CID)).toBe(tracked);
    const ack = OrderEvent.acknowledged({ clientOrderId: CID, timestamp: T + 1, venueOrderId: VID });
    const [decided] = acceptEvents(tracked.order, [ack]).decided;
    if (decided === undefined) throw new Error('the acknowledgement was not accepted');
    const event = orderEvent(decided);
    applyOrdersEvent(state, event);
    expect(state.orders.get(CID)?.order).toBe(decided.after);
    // The journal form is the encoded event alone; decoding it applies to the same order.
    expect(JSON.parse(JSON.stringify(event))).toEqual({ type: 'event', event: encodeOrderEvent(ack) });
    const recovered = emptyOrdersState();
    applyOrdersEvent(recovered, JSON.parse(JSON.stringify(intentEvent(tracked))) as OrdersEvent);
    applyOrdersEvent(recovered, JSON.parse(JSON.stringify(event)) as OrdersEvent);
    expect(encodeOrder(recovered.orders.get(CID)?.order ?? pending())).toEqual(encodeOrder(decided.after));
  });
});

describe('order codec', () => {
  it('round-trips an order and its events exactly through JSON', () => {
    const events = [
      OrderEvent.acknowledged({ clientOrderId: CID, timestamp: T, venueOrderId: VID }),
      fillEvent(venueFill('t1', '0.25')),
      OrderEvent.cancelRequested({ clientOrderId: CID, timestamp: T + 6 }),
      OrderEvent.cancelled({ clientOrderId: CID, timestamp: T + 7, reason: 'asked' }),
    ];
    let order = pending();
    for (const event of events) {
      const decoded = decodeOrderEvent(JSON.parse(JSON.stringify(encodeOrderEvent(event))) as OrderEventJson);
      expect(encodeOrderEvent(decoded)).toEqual(encodeOrderEvent(event));
      order = applyOrderEvent(order, decoded);
    }
    const back = decodeOrder(JSON.parse(JSON.stringify(encodeOrder(order))) as OrderJson);
    expect(encodeOrder(back)).toEqual(encodeOrder(order));
    expect(back.filledNotional.toString()).toBe('25.0000');
  });
});
