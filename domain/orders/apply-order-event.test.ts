import { describe, expect, it } from 'vitest';
import { AlreadyExistsError, FailedPreconditionError, InvalidArgumentError } from '../errors.ts';
import { parseClientOrderId, parseVenueOrderId } from '../identifiers/index.ts';
import { Money, Price, Quantity } from '../values/index.ts';
import { applyOrderEvent } from './apply-order-event.ts';
import {
  DuplicateFillError,
  IllegalOrderTransitionError,
  OverfillError,
  VenueOrderIdMismatchError,
} from './errors.ts';
import type { Order } from './order.ts';
import { averageFillPrice, remainingQuantity } from './order.ts';
import type { OrderEvent } from './order-events.ts';
import { OrderEvent as Events } from './order-events.ts';
import {
  CLIENT_ORDER_ID,
  T0,
  VENUE_ORDER_ID,
  acknowledged,
  cancelRejected,
  cancelRequested,
  cancelled,
  expired,
  fill,
  limitOrder,
  rejected,
  submitted,
} from './test-fixtures.ts';

function applyAll(order: Order, events: readonly OrderEvent[]): Order {
  return events.reduce(applyOrderEvent, order);
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('applyOrderEvent: the happy path', () => {
  it('goes NEW → PENDING_NEW → ACKNOWLEDGED → PARTIALLY_FILLED → FILLED', () => {
    const order = limitOrder();
    expect(order.status).toBe('NEW');
    const pending = applyOrderEvent(order, submitted);
    expect(pending.status).toBe('PENDING_NEW');
    const working = applyOrderEvent(pending, acknowledged);
    expect(working.status).toBe('ACKNOWLEDGED');
    expect(working.venueOrderId).toBe('8923');
    const partial = applyOrderEvent(working, fill('t1', '0.25', '100.00'));
    expect(partial.status).toBe('PARTIALLY_FILLED');
    expect(partial.filledQuantity.toString()).toBe('0.25');
    expect(remainingQuantity(partial).toString()).toBe('0.75');
    const done = applyOrderEvent(partial, fill('t2', '0.75', '101.00', { fee: Money.parse('0.03', 'USD') }));
    expect(done.status).toBe('FILLED');
    expect(done.filledQuantity.eq(done.quantity)).toBe(true);
    expect(done.tradeIds).toEqual(['t1', 't2']);
    expect(done.filledNotional.toString()).toBe('100.7500'); // 25.0000 + 75.7500
    expect(averageFillPrice(done, 4)?.toString()).toBe('100.7500');
    expect(done.fees.map((f) => f.toDisplayString())).toEqual(['0.04 USD']);
    expect(remainingQuantity(done).isZero()).toBe(true);
    expect(done.updatedAt).toBe(T0 + 10);
  });

  it('rounds the average price once, at the precision asked', () => {
    const order = applyAll(limitOrder({ quantity: Quantity.parse('3') }), [
      submitted,
      acknowledged,
      fill('a', '1', '100.00'),
      fill('b', '1', '100.00'),
      fill('c', '1', '100.01'),
    ]);
    expect(order.filledNotional.toString()).toBe('300.01');
    expect(averageFillPrice(order, 2)?.toString()).toBe('100.00');
    expect(averageFillPrice(order, 6)?.toString()).toBe('100.003333');
    expect(averageFillPrice(limitOrder(), 2)).toBeUndefined();
  });

  it('keeps fees per currency', () => {
    const order = applyAll(limitOrder(), [
      submitted,
      fill('a', '0.5', '100.00', { fee: Money.parse('0.001', 'BNB') }),
      fill('b', '0.25', '100.00', { fee: Money.parse('-0.02', 'USD') }),
      fill('c', '0.25', '100.00', { fee: Money.parse('0.002', 'BNB') }),
    ]);
    expect(order.fees.map((f) => f.toDisplayString())).toEqual(['0.003 BNB', '-0.02 USD']);
  });

  it('never mutates the order or the event, and returns frozen orders', () => {
    const order = limitOrder();
    const next = applyOrderEvent(order, submitted);
    expect(order.status).toBe('NEW');
    expect(Object.isFrozen(next)).toBe(true);
    expect(Object.isFrozen(next.tradeIds)).toBe(true);
    expect(Object.isFrozen(submitted)).toBe(true);
    const filled = applyOrderEvent(next, fill('t1', '0.5'));
    expect(next.tradeIds).toEqual([]);
    expect(Object.isFrozen(filled.tradeIds)).toBe(true);
  });
});

describe('applyOrderEvent: races the venues produce', () => {
  it('accepts a fill before the acknowledgement, then the late acknowledgement', () => {
    const order = applyAll(limitOrder(), [
      submitted,
      fill('t1', '0.4', '100.00', { venueOrderId: VENUE_ORDER_ID }),
    ]);
    expect(order.status).toBe('PARTIALLY_FILLED');
    expect(order.venueOrderId).toBe('8923');
    const acked = applyOrderEvent(order, acknowledged);
    expect(acked.status).toBe('PARTIALLY_FILLED');
  });

  it('treats a repeated acknowledgement as a no-op', () => {
    const order = applyAll(limitOrder(), [submitted, acknowledged, acknowledged]);
    expect(order.status).toBe('ACKNOWLEDGED');
  });

  it('takes fills while a cancel is pending, and then the cancel', () => {
    const order = applyAll(limitOrder(), [submitted, acknowledged, cancelRequested, fill('t1', '0.5')]);
    expect(order.status).toBe('PENDING_CANCEL');
    expect(order.filledQuantity.toString()).toBe('0.50');
    const done = applyOrderEvent(order, cancelled);
    expect(done.status).toBe('CANCELLED');
    expect(done.filledQuantity.toString()).toBe('0.50');
    expect(remainingQuantity(done).isZero()).toBe(true);
  });

  it('completes to FILLED when the cancel loses the race', () => {
    const order = applyAll(limitOrder(), [submitted, acknowledged, cancelRequested, fill('t1', '1.00')]);
    expect(order.status).toBe('FILLED');
    const error = thrown(() => applyOrderEvent(order, cancelRejected));
    expect(error).toBeInstanceOf(IllegalOrderTransitionError);
  });

  it('returns to the working status on a cancel reject', () => {
    const unfilled = applyAll(limitOrder(), [submitted, acknowledged, cancelRequested, cancelRejected]);
    expect(unfilled.status).toBe('ACKNOWLEDGED');
    const partial = applyAll(limitOrder(), [
      submitted,
      acknowledged,
      fill('t1', '0.1'),
      cancelRequested,
      cancelRejected,
    ]);
    expect(partial.status).toBe('PARTIALLY_FILLED');
  });

  it('allows a retried cancel request', () => {
    const order = applyAll(limitOrder(), [submitted, acknowledged, cancelRequested, cancelRequested]);
    expect(order.status).toBe('PENDING_CANCEL');
  });

  it('ends IOC/FOK remainders as EXPIRED, with or without the acknowledgement', () => {
    expect(applyAll(limitOrder({ timeInForce: 'IOC' }), [submitted, expired]).status).toBe('EXPIRED');
    expect(applyAll(limitOrder({ timeInForce: 'IOC' }), [submitted, fill('t', '0.5'), expired]).status).toBe(
      'EXPIRED',
    );
  });

  it('records the reason of a rejection', () => {
    const order = applyAll(limitOrder(), [submitted, rejected]);
    expect(order.status).toBe('REJECTED');
    expect(order.rejectReason).toContain('-2010');
    expect(applyOrderEvent(limitOrder(), rejected).status).toBe('REJECTED');
  });
});

describe('applyOrderEvent: refusals', () => {
  it('refuses an event the table does not list, with a typed error', () => {
    const order = limitOrder();
    const error = thrown(() => applyOrderEvent(order, fill('t1', '0.5')));
    expect(error).toBeInstanceOf(IllegalOrderTransitionError);
    expect(error).toBeInstanceOf(FailedPreconditionError);
    const e = error as IllegalOrderTransitionError;
    expect(e.from).toBe('NEW');
    expect(e.event).toBe('FILLED');
    expect(e.clientOrderId).toBe(CLIENT_ORDER_ID);
    expect(e.code).toBe('FAILED_PRECONDITION');
    expect(e.message).toContain('FILLED is not allowed in status NEW');
    expect(e.details).toMatchObject({ from: 'NEW', event: 'FILLED' });
  });

  it('refuses a cancel request before the acknowledgement', () => {
    const error = thrown(() => applyAll(limitOrder(), [submitted, cancelRequested]));
    expect(error).toMatchObject({ from: 'PENDING_NEW', event: 'CANCEL_REQUESTED' });
  });

  it.each([
    ['FILLED', [submitted, acknowledged, fill('t1', '1.00')]],
    ['CANCELLED', [submitted, acknowledged, cancelled]],
    ['REJECTED', [submitted, rejected]],
    ['EXPIRED', [submitted, expired]],
  ] as const)('accepts nothing once %s', (status, events) => {
    const order = applyAll(limitOrder(), events);
    expect(order.status).toBe(status);
    for (const event of [
      submitted,
      acknowledged,
      rejected,
      fill('t9', '0.01'),
      cancelRequested,
      cancelRejected,
      cancelled,
      expired,
    ]) {
      const error = thrown(() => applyOrderEvent(order, event));
      expect(error).toBeInstanceOf(IllegalOrderTransitionError);
      expect(error).toMatchObject({ from: status, event: event.kind });
    }
  });

  it('refuses an overfill and leaves the order as it was', () => {
    const order = applyAll(limitOrder(), [submitted, acknowledged, fill('t1', '0.60')]);
    const error = thrown(() => applyOrderEvent(order, fill('t2', '0.41')));
    expect(error).toBeInstanceOf(OverfillError);
    expect(error).toMatchObject({
      tradeId: 't2',
      orderQuantity: '1.00',
      filledQuantity: '0.60',
      fillQuantity: '0.41',
    });
    expect(order.filledQuantity.toString()).toBe('0.60');
    expect(applyOrderEvent(order, fill('t2', '0.40')).status).toBe('FILLED');
  });

  it('reports a repeated trade id as DuplicateFillError, also after the order is terminal', () => {
    const partial = applyAll(limitOrder(), [submitted, acknowledged, fill('t1', '0.5')]);
    const again = thrown(() => applyOrderEvent(partial, fill('t1', '0.5')));
    expect(again).toBeInstanceOf(DuplicateFillError);
    expect(again).toBeInstanceOf(AlreadyExistsError);
    expect(again).toMatchObject({ tradeId: 't1', code: 'ALREADY_EXISTS' });

    const done = applyOrderEvent(partial, fill('t2', '0.5'));
    expect(done.status).toBe('FILLED');
    expect(thrown(() => applyOrderEvent(done, fill('t1', '0.5')))).toBeInstanceOf(DuplicateFillError);
    expect(thrown(() => applyOrderEvent(done, fill('t2', '0.5')))).toBeInstanceOf(DuplicateFillError);
    expect(thrown(() => applyOrderEvent(done, fill('t3', '0.5')))).toBeInstanceOf(
      IllegalOrderTransitionError,
    );
  });

  it('refuses a different venue order id', () => {
    const order = applyAll(limitOrder(), [submitted, acknowledged]);
    const other = parseVenueOrderId('9999');
    const ack = Events.acknowledged({ clientOrderId: CLIENT_ORDER_ID, timestamp: T0, venueOrderId: other });
    expect(thrown(() => applyOrderEvent(order, ack))).toBeInstanceOf(VenueOrderIdMismatchError);
    expect(
      thrown(() => applyOrderEvent(order, fill('t1', '0.5', '100.00', { venueOrderId: other }))),
    ).toMatchObject({
      expected: '8923',
      actual: '9999',
    });
  });

  it('refuses an event for another order', () => {
    const event = Events.submitted({ clientOrderId: parseClientOrderId('other'), timestamp: T0 });
    const error = thrown(() => applyOrderEvent(limitOrder(), event));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ field: 'event.clientOrderId' });
  });
});

describe('OrderEvent builders', () => {
  it('validate fills and timestamps', () => {
    expect(() => fill('t1', '0')).toThrow(/fill.quantity: must be greater than zero/);
    expect(() => fill('t1', '1', '0.00')).toThrow(/fill.price: must be greater than zero/);
    expect(() => fill('t1', '1', '1', { timestamp: 1.5 })).toThrow(/fill.timestamp/);
    expect(() => Events.expired({ clientOrderId: CLIENT_ORDER_ID, timestamp: -1 })).toThrow(
      InvalidArgumentError,
    );
  });

  it('build frozen events with their kind', () => {
    const event = Events.cancelled({ clientOrderId: CLIENT_ORDER_ID, timestamp: T0, reason: 'user' });
    expect(event).toEqual({
      kind: 'CANCELLED',
      clientOrderId: CLIENT_ORDER_ID,
      timestamp: T0,
      reason: 'user',
    });
    expect(Object.isFrozen(event)).toBe(true);
  });
});

describe('applyOrderEvent copies every field', () => {
  it('keeps each field an event does not change, optional ones included, through ack, fill and reject', () => {
    const order = limitOrder({
      type: 'STOP_LIMIT',
      stopPrice: Price.parse('101.00'),
      timeInForce: 'GTD',
      expireAt: T0 + 60_000,
      postOnly: false,
      reduceOnly: true,
    });
    const acked = applyOrderEvent(applyOrderEvent(order, submitted), acknowledged);
    const keys = (o: Order): string[] => Object.keys(o).sort();
    expect(keys(acked)).toEqual([...keys(order), 'venueOrderId'].sort());
    expect({ ...acked, status: order.status, updatedAt: order.updatedAt, venueOrderId: undefined }).toEqual({
      ...order,
      venueOrderId: undefined,
    });
    expect(Object.isFrozen(acked)).toBe(true);
    const filled = applyOrderEvent(acked, fill('t-1', '0.40'));
    expect(keys(filled)).toEqual(keys(acked));
    expect([
      filled.price?.toString(),
      filled.stopPrice?.toString(),
      filled.expireAt,
      filled.reduceOnly,
    ]).toEqual(['100.00', '101.00', T0 + 60_000, true]);
    expect([filled.venueOrderId, filled.filledQuantity.toString(), filled.tradeIds]).toEqual([
      VENUE_ORDER_ID,
      '0.40',
      ['t-1'],
    ]);
    const refused = applyOrderEvent(applyOrderEvent(order, submitted), rejected);
    expect(keys(refused)).toEqual([...keys(order), 'rejectReason'].sort());
    expect(refused.rejectReason).toBe(rejected.reason);
  });
});

describe('order event builders', () => {
  it('make frozen events of exactly their fields, with a valid timestamp', () => {
    for (const event of [submitted, expired, cancelRequested, acknowledged]) {
      expect(Object.isFrozen(event)).toBe(true);
      expect(event.clientOrderId).toBe(CLIENT_ORDER_ID);
      expect(event.timestamp).toBe(T0 + 1);
    }
    expect(Object.keys(expired)).toEqual(['kind', 'clientOrderId', 'timestamp']);
    expect(Object.keys(acknowledged)).toEqual(['kind', 'clientOrderId', 'timestamp', 'venueOrderId']);
    expect([submitted.kind, cancelRequested.kind, acknowledged.venueOrderId]).toEqual([
      'SUBMITTED',
      'CANCEL_REQUESTED',
      VENUE_ORDER_ID,
    ]);
    expect(() => Events.expired({ clientOrderId: CLIENT_ORDER_ID, timestamp: -1 })).toThrow(
      InvalidArgumentError,
    );
  });
});
