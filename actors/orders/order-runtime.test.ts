import { afterEach, describe, expect, it, vi } from 'vitest';
import { OrderStatus, parseClientOrderId } from '../../domain/index.ts';
import type { Order } from '../../domain/index.ts';
import { limitOrder } from '../../domain/orders/test-fixtures.ts';
import { OrderRuntime } from './order-runtime.ts';

const answered: Order = { ...limitOrder(), status: OrderStatus.ACKNOWLEDGED };
const cid = answered.clientOrderId;

describe('OrderRuntime ack deadlines', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('expires an order the venue has not answered, and not one it answered', () => {
    vi.useFakeTimers();
    const runtime = new OrderRuntime();
    const expired: string[] = [];
    runtime.armAckTimer(cid, 5_000, () => expired.push('unanswered'));
    vi.advanceTimersByTime(5_000);
    expect(expired).toEqual(['unanswered']);

    runtime.armAckTimer(cid, 5_000, () => expired.push('answered'));
    const waited: Order[] = [];
    runtime.wait(cid, (order) => waited.push(order));
    runtime.resolve(answered);
    vi.advanceTimersByTime(10_000);
    expect(expired).toEqual(['unanswered']);
    expect(waited).toEqual([answered]);
  });

  it('keeps one deadline per order: arming again replaces the earlier one', () => {
    vi.useFakeTimers();
    const runtime = new OrderRuntime();
    const expired: number[] = [];
    runtime.armAckTimer(cid, 1_000, () => expired.push(1));
    runtime.armAckTimer(cid, 3_000, () => expired.push(2));
    vi.advanceTimersByTime(2_000);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1_000);
    expect(expired).toEqual([2]);
  });

  it('arms one timer for every order awaiting an answer, each expiring at its own deadline', () => {
    vi.useFakeTimers();
    const runtime = new OrderRuntime();
    const expired: string[] = [];
    const orders = Array.from({ length: 100 }, (_, i) => ({
      ...answered,
      clientOrderId: parseClientOrderId(`ng-rt-${i}`),
    }));
    orders.forEach((order, i) =>
      runtime.armAckTimer(order.clientOrderId, 5_000 - i * 10, () => expired.push(order.clientOrderId)),
    );
    expect(vi.getTimerCount()).toBe(1);
    const waited: Order[] = [];
    const last = orders[99];
    if (last === undefined) throw new Error('no order');
    runtime.wait(last.clientOrderId, (order) => waited.push(order));
    for (const order of orders.slice(0, 50)) runtime.resolve(order);
    // Order i's deadline is 5,000 - 10 i ms: at 4,020 ms orders 99 and 98 are due; answered ones never are.
    vi.advanceTimersByTime(4_020);
    expect(expired).toEqual(['ng-rt-99', 'ng-rt-98']);
    vi.advanceTimersByTime(1_000);
    expect(expired).toHaveLength(50);
    expect(vi.getTimerCount()).toBe(0);
    // An expired deadline leaves its callers waiting for the answer.
    runtime.resolve(last);
    expect(waited).toEqual([last]);
  });
});
