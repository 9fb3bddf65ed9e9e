import { describe, expect, it } from 'vitest';
import { parseAccountId, parseClientOrderId, parseOrderId } from '../domain/index.ts';
import type { OrderRequest } from '../domain/index.ts';
import { Price, Quantity } from '../domain/values/index.ts';
import { MetricsRegistry, createLogger } from '../observability/index.ts';
import { createPaperVenue } from './paper-venue.ts';

describe('createPaperVenue retention options', () => {
  it('gives the engine retainClosedOrders: a closed desk order is forgotten once a later one takes its slot', async () => {
    const venue = createPaperVenue({
      logger: createLogger({ level: 'silent', name: 'paper-venue-test' }),
      metrics: new MetricsRegistry(),
      retainClosedOrders: 1,
      retainFillsOfOrders: 1,
    });
    const connector = venue.connector();
    const instrument = venue.instruments[0];
    if (instrument === undefined) throw new Error('the paper venue has no instrument');
    const restingBuy = (n: number): OrderRequest => ({
      id: parseOrderId(`0b6f3c9e-5d1a-4f7e-9c2b-${n.toString(16).padStart(12, '0')}`),
      clientOrderId: parseClientOrderId(`paper-retention-${String(n)}`),
      accountId: parseAccountId('4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f'),
      instrumentId: instrument.id,
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: Quantity.parse('0.01'),
      price: Price.parse('100.00'),
      createdAt: Date.now(),
    });
    const refs = [1, 2].map((n) => ({
      instrumentId: instrument.id,
      clientOrderId: restingBuy(n).clientOrderId,
    }));
    for (const [i, ref] of refs.entries()) {
      expect((await connector.placeOrder(restingBuy(i + 1))).kind).toBe('accepted');
      expect((await connector.cancelOrder(ref)).status).toBe('CANCELLED');
    }
    // The engine's default window (10,000) would still find the first.
    expect(await connector.getOrder(refs[0] as (typeof refs)[0])).toBeUndefined();
    expect((await connector.getOrder(refs[1] as (typeof refs)[1]))?.status).toBe('CANCELLED');
  });
});
