import { afterEach, describe, expect, it, vi } from 'vitest';
import { OrderStatus } from '../../domain/index.ts';
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
});
