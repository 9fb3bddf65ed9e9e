import { describe, expect, it } from 'vitest';
import { FixedDecimal, Price, Quantity } from '../../../../domain/values/index.ts';
import type { PaperOrder } from '../../../paper/index.ts';
import { ExpiredAtOnceOrders } from './expired-at-once.ts';

function expired(kept: ExpiredAtOnceOrders, clientOrderId: string): PaperOrder {
  return {
    orderId: kept.nextOrderId(),
    clientOrderId,
    accountId: 'a',
    instrumentId: 'BTCUSD',
    side: 'BUY',
    type: 'LIMIT',
    timeInForce: 'FOK',
    price: Price.parse('1.00'),
    stopPrice: undefined,
    quantity: Quantity.parse('1'),
    quoteQuantity: undefined,
    filledQuantity: Quantity.parse('0'),
    cumulativeQuote: FixedDecimal.zero(),
    status: 'EXPIRED',
    createdAt: 1,
    updatedAt: 1,
    postOnly: false,
    triggered: true,
  };
}

describe('orders expired at once', () => {
  it('keeps the newest `capacity`, findable by order id and client id, and drops the oldest', () => {
    const kept = new ExpiredAtOnceOrders(2);
    const [o1, o2, o3] = ['c1', 'c2', 'c3'].map((c) => expired(kept, c)) as [
      PaperOrder,
      PaperOrder,
      PaperOrder,
    ];
    expect(kept.add(o1)).toBeUndefined();
    expect(kept.add(o2)).toBeUndefined();
    expect(kept.add(o3)).toBe(o1);
    expect(kept.size).toBe(2);
    expect(kept.byOrderId('a', o1.orderId)).toBeUndefined();
    expect(kept.byClientOrderId('a', 'c1')).toBeUndefined();
    expect(kept.byOrderId('a', o3.orderId)).toBe(o3);
    expect(kept.byClientOrderId('a', 'c2')).toBe(o2);
    expect(kept.byOrderId('b', o3.orderId)).toBeUndefined();
  });

  it('gives consecutive whole ids, and a reused client id finds the newest order until that one goes', () => {
    const kept = new ExpiredAtOnceOrders(2);
    const first = expired(kept, 'same');
    const second = expired(kept, 'same');
    expect(BigInt(second.orderId) - BigInt(first.orderId)).toBe(1n);
    kept.add(first);
    kept.add(second);
    expect(kept.byClientOrderId('a', 'same')).toBe(second);
    // Dropping the older order leaves the newer one's client id in place.
    kept.add(expired(kept, 'other'));
    expect(kept.byClientOrderId('a', 'same')).toBe(second);
    kept.add(expired(kept, 'other'));
    expect(kept.byClientOrderId('a', 'same')).toBeUndefined();
  });

  it('refuses a capacity below one', () => {
    expect(() => new ExpiredAtOnceOrders(0)).toThrow(RangeError);
  });
});
