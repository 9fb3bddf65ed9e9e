import { describe, expect, it } from 'vitest';
import { Price, Quantity } from '../../domain/values/index.ts';
import { parseOrderId } from './order-slots.ts';
import { BTCUSD, testEngine } from './test-support.ts';

describe('parseOrderId', () => {
  it('reads exactly the texts String(id) writes', () => {
    for (const id of [1, 9, 10, 123_456, 2 ** 31, Number.MAX_SAFE_INTEGER]) {
      expect(parseOrderId(String(id))).toBe(id);
    }
  });

  it('gives 0 for every other text, including those Number() would accept', () => {
    for (const text of [
      '',
      '0',
      '012',
      ' 12',
      '12 ',
      '1e3',
      '0x1f',
      '+5',
      '-5',
      '1.0',
      '9007199254740993',
      'abc',
    ]) {
      expect(parseOrderId(text)).toBe(0);
    }
  });
});

describe('closed orders', () => {
  /** `count` resting buys of one account, each its own price level; their engine ids in order. */
  function restingOrders(engine: ReturnType<typeof testEngine>, count: number): string[] {
    engine.deposit('a', 'USD', '1000000');
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const result = engine.submit('a', {
        clientOrderId: `c${i}`,
        instrumentId: BTCUSD,
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        price: Price.parse(String(100 + i)),
        quantity: Quantity.parse('1'),
      });
      if (!result.accepted) throw new Error(`order ${i} refused: ${result.message}`);
      ids.push(result.order.orderId);
    }
    return ids;
  }

  it('keeps exactly the last retainClosedOrders closed orders, first closed first forgotten', () => {
    const forgotten: string[] = [];
    const engine = testEngine({ retainClosedOrders: 4, onForget: (order) => forgotten.push(order.orderId) });
    const ids = restingOrders(engine, 6);
    // Closed out of id order: the last one's id shares its low bits with the first (5 and 1 modulo 4),
    // which a ring indexed by id took as the same slot.
    const closing = [ids[4], ids[0], ids[2], ids[1], ids[3]] as string[];
    const cancel = (orderId: string): void => {
      expect(engine.cancel('a', { orderId }, BTCUSD).cancelled).toBe(true);
    };
    closing.slice(0, 2).forEach(cancel);
    expect(forgotten).toEqual([]);
    for (const orderId of closing.slice(0, 2))
      expect(engine.getOrder('a', { orderId })?.status).toBe('CANCELED');
    closing.slice(2).forEach(cancel);
    expect(forgotten).toEqual([closing[0]]);
    expect(engine.getOrder('a', { orderId: closing[0] })).toBeUndefined();
    for (const orderId of closing.slice(1))
      expect(engine.getOrder('a', { orderId })?.status).toBe('CANCELED');
    expect(engine.getOrder('a', { orderId: ids[5] })?.status).toBe('NEW');
  });

  it('keeps none with retainClosedOrders 0, telling of each as it closes', () => {
    const forgotten: string[] = [];
    const engine = testEngine({ retainClosedOrders: 0, onForget: (order) => forgotten.push(order.orderId) });
    const ids = restingOrders(engine, 2);
    expect(engine.cancel('a', { orderId: ids[1] }, BTCUSD).cancelled).toBe(true);
    expect(forgotten).toEqual([ids[1]]);
    expect(engine.getOrder('a', { orderId: ids[1] })).toBeUndefined();
    expect(engine.getOrder('a', { orderId: ids[0] })?.status).toBe('NEW');
  });
});
