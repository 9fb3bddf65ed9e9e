import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Price, Quantity } from '../../../../domain/values/index.ts';
import { startHarness } from './harness.ts';
import type { Harness } from './harness.ts';
import { BTC_USD, orderRequest } from './orders.ts';

/** The engine's default closed-order window (10,000 rounded up to a power of two). */
const ENGINE_WINDOW = 16_384;

describe('Coinbase simulator: an API order’s record lives as long as the engine keeps the order', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ seedLevels: 0 });
  });
  afterAll(async () => {
    await h.close();
  });

  it('forgets the order, its fills and its client order id once the engine forgets the order', async () => {
    const request = orderRequest({ side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '29000.00' });
    const placed = await h.connector.placeOrder(request);
    expect(placed.kind).toBe('accepted');
    h.sim.control.deposit('BTC', '1', 'other');
    const sell = (clientOrderId: string, timeInForce: 'GTC' | 'IOC', price: string) =>
      h.sim.control.submitAs('other', {
        clientOrderId,
        instrumentId: 'BTC-USD',
        side: 'SELL',
        type: 'LIMIT',
        timeInForce,
        quantity: Quantity.parse('0.01'),
        price: Price.parse(price),
      });
    expect(sell('cross-1', 'GTC', '29000.00').accepted).toBe(true);
    const ref = { instrumentId: BTC_USD, clientOrderId: request.clientOrderId };
    expect((await h.connector.getOrder(ref))?.status).toBe('FILLED');
    expect(await h.connector.orderFills(ref)).toHaveLength(1);
    expect(h.sim.control.acceptedCount(request.clientOrderId)).toBe(1);

    // A window's worth of later closed orders (IOC into an empty book: each expires at once).
    for (let i = 0; i < ENGINE_WINDOW; i++) expect(sell(`later-${i}`, 'IOC', '90000.00').accepted).toBe(true);

    expect(await h.connector.getOrder(ref)).toBeUndefined();
    expect(await h.connector.orderFills(ref)).toEqual([]);
    expect(h.sim.control.acceptedCount(request.clientOrderId)).toBe(0);
  });
});
