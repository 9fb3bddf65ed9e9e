import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from './internal.ts';
import { routeOrderRequest } from './trading-api.ts';

const BASE = { baseAsset: 'BTC', quoteAsset: 'USD', side: 'BUY', quantity: '0.5' } as const;

describe('routeOrderRequest', () => {
  it('always carries a plan id, so that a retry replays the same route', () => {
    const first = routeOrderRequest(BASE);
    expect(first.planId).toMatch(/^[0-9a-f-]{36}$/);
    expect(routeOrderRequest(BASE).planId).not.toBe(first.planId);
    const planId = '6f1c2b9e-3d4a-4e5f-8a7b-9c0d1e2f3a4b';
    expect(routeOrderRequest({ ...BASE, planId, limitPrice: '30000.5', accountIds: ['a'] })).toMatchObject({
      planId,
      quantity: { value: '0.5' },
      limitPrice: { value: '30000.5' },
      accountIds: ['a'],
    });
  });

  it('refuses bad input before sending, naming the field', () => {
    expect(() => routeOrderRequest({ ...BASE, planId: 'x' })).toThrow(InvalidArgumentError);
    expect(() => routeOrderRequest({ ...BASE, planId: 'x' })).toThrow(/plan_id/);
    expect(() => routeOrderRequest({ ...BASE, quantity: '1e3' })).toThrow(/quantity/);
    expect(() => routeOrderRequest({ ...BASE, limitPrice: 'abc' })).toThrow(/limit_price/);
    expect(() => routeOrderRequest({ ...BASE, baseAsset: '' })).toThrow(/base_asset/);
  });
});
