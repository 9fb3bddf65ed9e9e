import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Price, Quantity } from '../../../../domain/values/index.ts';
import { BinanceUsNoSuchOrderError } from '../../../../venues/binanceus/index.ts';
import { startHarness } from './harness.ts';
import type { Harness } from './harness.ts';

/** The engine's default closed-order window (10,000 rounded up to a power of two). */
const ENGINE_WINDOW = 16_384;

describe('Binance.US simulator: what it keeps per order lives as long as the engine keeps the order', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ seedLevels: 0 });
  });
  afterAll(async () => {
    await h.close();
  });

  it('forgets an API order’s fills, type and acceptance once the engine forgets the order', async () => {
    const placed = await h.client.newOrder({
      symbol: 'BTCUSD',
      side: 'BUY',
      type: 'LIMIT_MAKER',
      quantity: Quantity.parse('0.010000'),
      price: Price.parse('29000.00'),
      newClientOrderId: 'kept-1',
    });
    h.sim.control.deposit('BTC', '1', 'other');
    const cross = h.sim.control.submitAs('other', {
      clientOrderId: 'cross-1',
      instrumentId: 'BTCUSD',
      side: 'SELL',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: Quantity.parse('0.010000'),
      price: Price.parse('29000.00'),
    });
    expect(cross.accepted).toBe(true);
    const orderId = placed.ack.orderId;
    expect((await h.client.queryOrder({ symbol: 'BTCUSD', orderId })).type).toBe('LIMIT_MAKER');
    expect(await h.client.myTrades('BTCUSD', orderId)).toHaveLength(1);
    expect(h.sim.control.acceptedCount('kept-1')).toBe(1);

    // A window's worth of later closed orders (IOC into an empty book: each expires at once).
    for (let i = 0; i < ENGINE_WINDOW; i++) {
      const r = h.sim.control.submitAs('other', {
        clientOrderId: `later-${i}`,
        instrumentId: 'BTCUSD',
        side: 'SELL',
        type: 'LIMIT',
        timeInForce: 'IOC',
        quantity: Quantity.parse('0.001000'),
        price: Price.parse('90000.00'),
      });
      expect(r.accepted).toBe(true);
    }
    await expect(h.client.queryOrder({ symbol: 'BTCUSD', orderId })).rejects.toBeInstanceOf(
      BinanceUsNoSuchOrderError,
    );
    expect(await h.client.myTrades('BTCUSD', orderId)).toEqual([]);
    expect(h.sim.control.acceptedCount('kept-1')).toBe(0);

    // The client order id is free again, and counted afresh.
    await h.client.newOrder({
      symbol: 'BTCUSD',
      side: 'BUY',
      type: 'LIMIT_MAKER',
      quantity: Quantity.parse('0.010000'),
      price: Price.parse('28000.00'),
      newClientOrderId: 'kept-1',
    });
    expect(h.sim.control.acceptedCount('kept-1')).toBe(1);
  });
});
