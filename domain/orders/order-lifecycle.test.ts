import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTradeId, parseVenueOrderId } from '../identifiers/index.ts';
import { FixedDecimal, Money, Price, Quantity } from '../values/index.ts';
import { applyOrderEvent } from './apply-order-event.ts';
import {
  DuplicateFillError,
  IllegalOrderTransitionError,
  OverfillError,
  VenueOrderIdMismatchError,
} from './errors.ts';
import { exactNotional } from './notional.ts';
import type { Order } from './order.ts';
import { OrderEvent } from './order-events.ts';
import type { OrderEventKind } from './order-events.ts';
import { OrderStatus, isTerminalOrderStatus } from './order-status.ts';
import { ORDER_TRANSITIONS, orderTransitionTargets } from './order-transitions.ts';
import { CLIENT_ORDER_ID, limitOrder } from './test-fixtures.ts';

const at = (timestamp: number) => ({ clientOrderId: CLIENT_ORDER_ID, timestamp });

/**
 * Fill sizes: whole units written at precision 0 or 2 (so fills often complete an order of a few
 * units exactly, or overfill it) and odd fractions (which leave it partly filled).
 */
const fillQuantityArb = fc.oneof(
  fc.integer({ min: 1, max: 3 }).map((units) => Quantity.fromRaw(BigInt(units), 0)),
  fc.integer({ min: 1, max: 3 }).map((units) => Quantity.fromRaw(BigInt(units * 100), 2)),
  fc.integer({ min: 1, max: 250 }).map((raw) => Quantity.fromRaw(BigInt(raw), 2)),
);

/** Any event, with trade ids and venue order ids drawn from small pools so repeats and conflicts happen. */
const eventArb = fc.oneof(
  fc.nat(1_000).map((t) => OrderEvent.submitted(at(t))),
  fc
    .tuple(fc.nat(1_000), fc.constantFrom('v1', 'v1', 'v1', 'v2'))
    .map(([t, v]) => OrderEvent.acknowledged({ ...at(t), venueOrderId: parseVenueOrderId(v) })),
  fc.nat(1_000).map((t) => OrderEvent.rejected({ ...at(t), reason: 'rejected' })),
  fc
    .tuple(
      fc.nat(1_000),
      fc.constantFrom('t1', 't2', 't3', 't4', 't5', 't6', 't7', 't8'),
      fillQuantityArb,
      fc.integer({ min: 1, max: 99_999 }),
      fc.option(fc.constantFrom('v1', 'v1', 'v2'), { nil: undefined }),
    )
    .map(([t, tradeId, quantity, priceRaw, venueOrderId]) =>
      OrderEvent.filled({
        ...at(t),
        tradeId: parseTradeId(tradeId),
        quantity,
        price: Price.fromRaw(BigInt(priceRaw), 2),
        fee: Money.parse('0.01', 'USD'),
        liquidity: 'MAKER',
        ...(venueOrderId === undefined ? {} : { venueOrderId: parseVenueOrderId(venueOrderId) }),
      }),
    ),
  fc.nat(1_000).map((t) => OrderEvent.cancelRequested(at(t))),
  fc.nat(1_000).map((t) => OrderEvent.cancelRejected({ ...at(t), reason: 'too late' })),
  fc.nat(1_000).map((t) => OrderEvent.cancelled(at(t))),
  fc.nat(1_000).map((t) => OrderEvent.expired(at(t))),
);

/** Submitted first most of the time, so the runs get past NEW. */
const sequenceArb = fc
  .tuple(fc.boolean(), fc.array(eventArb, { maxLength: 40 }))
  .map(([submitFirst, events]) =>
    submitFirst
      ? [
          OrderEvent.submitted(at(0)),
          OrderEvent.acknowledged({ ...at(0), venueOrderId: parseVenueOrderId('v1') }),
          ...events,
        ]
      : events,
  );

/** Order sizes of a few units, at precision 1. */
const quantityArb = fc.integer({ min: 1, max: 6 }).map((units) => Quantity.fromRaw(BigInt(units * 10), 1));

function checkInvariants(order: Order, appliedFills: { quantity: Quantity; price: Price }[]): void {
  expect(order.filledQuantity.lte(order.quantity)).toBe(true);
  expect(order.status === OrderStatus.FILLED).toBe(order.filledQuantity.eq(order.quantity));
  expect(new Set(order.tradeIds).size).toBe(order.tradeIds.length);
  expect(order.tradeIds.length).toBe(appliedFills.length);
  const sum = appliedFills.reduce((acc, f) => acc.add(f.quantity), Quantity.zero());
  expect(order.filledQuantity.eq(sum)).toBe(true);
  const notional = appliedFills.reduce(
    (acc, f) => acc.add(exactNotional(f.price, f.quantity)),
    FixedDecimal.zero(),
  );
  expect(order.filledNotional.eq(notional)).toBe(true);
  if (order.status === OrderStatus.ACKNOWLEDGED) expect(order.filledQuantity.isZero()).toBe(true);
  if (order.status === OrderStatus.PARTIALLY_FILLED) expect(order.filledQuantity.isPositive()).toBe(true);
  if (order.status === OrderStatus.NEW || order.status === OrderStatus.PENDING_NEW) {
    expect(order.filledQuantity.isZero()).toBe(true);
  }
}

type Seen = Set<string>;

/** Applies `events` one by one, checking after each step; returns the transitions taken. */
function run(quantity: Quantity, events: readonly OrderEvent[], seen: Seen = new Set()): Seen {
  let order = limitOrder({ quantity });
  const appliedFills: { quantity: Quantity; price: Price }[] = [];
  for (const event of events) {
    const before = order;
    const listed = orderTransitionTargets(before.status, event.kind);
    const duplicate = event.kind === 'FILLED' && before.tradeIds.includes(event.tradeId);
    try {
      order = applyOrderEvent(before, event);
    } catch (error) {
      if (duplicate) expect(error).toBeInstanceOf(DuplicateFillError);
      else if (listed.length === 0) expect(error).toBeInstanceOf(IllegalOrderTransitionError);
      else expect(error instanceof OverfillError || error instanceof VenueOrderIdMismatchError).toBe(true);
      if (error instanceof IllegalOrderTransitionError) {
        expect([error.from, error.event]).toEqual([before.status, event.kind]);
      }
      checkInvariants(before, appliedFills);
      continue;
    }
    // Accepted: never a duplicate, never out of a terminal state, and listed in the table.
    expect(duplicate).toBe(false);
    expect(isTerminalOrderStatus(before.status)).toBe(false);
    expect(listed).toContain(order.status);
    if (event.kind === 'FILLED') appliedFills.push({ quantity: event.quantity, price: event.price });
    else expect(order.filledQuantity).toBe(before.filledQuantity);
    seen.add(`${before.status} ${event.kind} ${order.status}`);
    checkInvariants(order, appliedFills);
  }
  return seen;
}

describe('order lifecycle properties', () => {
  it('keeps every invariant under any sequence of events', () => {
    fc.assert(
      fc.property(quantityArb, sequenceArb, (quantity, events) => {
        run(quantity, events);
      }),
      { numRuns: 2_000 },
    );
  });

  it('exercises every transition the table lists (so the table has no dead entries)', () => {
    const listed = new Set<string>();
    for (const [from, row] of Object.entries(ORDER_TRANSITIONS)) {
      for (const [kind, targets] of Object.entries(row as Record<OrderEventKind, readonly OrderStatus[]>)) {
        for (const to of targets) listed.add(`${from} ${kind} ${to}`);
      }
    }
    const seen: Seen = new Set();
    fc.assert(
      fc.property(quantityArb, sequenceArb, (quantity, events) => {
        run(quantity, events, seen);
      }),
      { numRuns: 3_000, seed: 20_261_126 },
    );
    expect([...listed].filter((t) => !seen.has(t))).toEqual([]);
    expect([...seen].filter((t) => !listed.has(t))).toEqual([]);
  });

  it('reaches FILLED exactly when the fills add up to the quantity, whatever their split', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 20 }), (parts) => {
        const total = parts.reduce((a, b) => a + b, 0);
        let order = limitOrder({ quantity: Quantity.fromRaw(BigInt(total), 3) });
        order = applyOrderEvent(order, OrderEvent.submitted(at(0)));
        parts.forEach((raw, i) => {
          expect(order.status).not.toBe('FILLED');
          order = applyOrderEvent(
            order,
            OrderEvent.filled({
              ...at(i),
              tradeId: parseTradeId(`t${i}`),
              quantity: Quantity.fromRaw(BigInt(raw), 3),
              price: Price.parse('1.5'),
              fee: Money.parse('0', 'USD'),
              liquidity: 'TAKER',
            }),
          );
        });
        expect(order.status).toBe('FILLED');
      }),
    );
  });
});
