import { describe, expect, it } from 'vitest';
import { parseClientOrderId } from '../identifiers/index.ts';
import { FixedDecimal, Price, Quantity } from '../values/index.ts';
import { AccountExposure } from './account-exposure.ts';
import { checkNewOrder } from './pre-trade-check.ts';
import type { PreTradeContext, ProposedOrder } from './pre-trade-check.ts';
import { emptyRiskLimits } from './risk-limits.ts';
import { updateRiskLimits } from './risk-limits-update.ts';
import { BTC_EUR, BTC_USD, context, limitBuy, limitSell } from './test-support.ts';

const limits = (update: unknown) => updateRiskLimits(emptyRiskLimits(), update);
const reason = (order: ProposedOrder, ctx: PreTradeContext) => {
  const { decision } = checkNewOrder(order, ctx);
  return decision.approved ? 'APPROVED' : decision.reason;
};

function exposureWith(...orders: { id: string; side: 'BUY' | 'SELL'; qty: string; price: string }[]) {
  const exposure = new AccountExposure();
  for (const o of orders) {
    exposure.addOrder({
      clientOrderId: parseClientOrderId(o.id),
      instrument: BTC_USD,
      side: o.side,
      remaining: Quantity.parse(o.qty),
      reservePrice: Price.parse(o.price),
    });
  }
  return exposure;
}

describe('checkNewOrder', () => {
  it('approves an order within every limit', () => {
    expect(reason(limitBuy('1', '100.00'), context())).toBe('APPROVED');
  });

  it('refuses everything but cancels with the account or the cluster kill switch on', () => {
    expect(reason(limitBuy('1', '100.00'), context({ limits: limits({ killSwitch: true }) }))).toBe(
      'KILL_SWITCH',
    );
    expect(reason(limitSell('1', '100.00'), context({ clusterKillSwitch: true }))).toBe('KILL_SWITCH');
  });

  it('refuses what breaks the instrument rules, naming the rule', () => {
    const { decision } = checkNewOrder(limitBuy('1', '100.005'), context());
    expect(decision).toMatchObject({ approved: false, reason: 'INSTRUMENT_FILTER' });
    expect(decision.approved ? '' : decision.message).toContain('PRICE_NOT_ON_TICK');
    expect(reason(limitBuy('0.00001', '100.00'), context())).toBe('INSTRUMENT_FILTER');
  });

  it('limits the notional per quote currency, exactly at the boundary', () => {
    const ctx = context({ limits: limits({ maxOrderNotional: { USD: '100' } }) });
    expect(reason(limitBuy('1', '100.00'), ctx)).toBe('APPROVED');
    expect(reason(limitBuy('1', '100.01'), ctx)).toBe('MAX_ORDER_NOTIONAL');
    expect(reason(limitBuy('5', '100.00', BTC_EUR), ctx)).toBe('APPROVED');
  });

  it('values a market order at the mid, and refuses it when no mid is known and a rule needs one', () => {
    const market: ProposedOrder = {
      instrument: BTC_USD,
      side: 'BUY',
      type: 'MARKET',
      quantity: Quantity.parse('2'),
    };
    const ctx = context({ limits: limits({ maxOrderNotional: { USD: '150' } }) });
    expect(reason(market, ctx)).toBe('MAX_ORDER_NOTIONAL');
    expect(reason(market, { ...ctx, mid: undefined })).toBe('NO_REFERENCE_PRICE');
  });

  it('keeps limit and stop prices inside the band around the mid', () => {
    const ctx = context({ limits: limits({ priceBandBps: 500 }) });
    expect(reason(limitBuy('1', '105.00'), ctx)).toBe('APPROVED');
    expect(reason(limitBuy('1', '105.01'), ctx)).toBe('PRICE_BAND');
    expect(reason(limitSell('1', '94.99'), ctx)).toBe('PRICE_BAND');
    expect(reason(limitBuy('1', '100.00'), { ...ctx, mid: undefined })).toBe('NO_REFERENCE_PRICE');
  });

  it('counts open orders on the growing side against the instrument position limit', () => {
    const ctx = context({
      limits: limits({ maxPosition: { [BTC_USD.id]: '3' } }),
      exposure: exposureWith(
        { id: 'a', side: 'BUY', qty: '2', price: '99.00' },
        { id: 'b', side: 'SELL', qty: '5', price: '101.00' },
      ),
    });
    expect(reason(limitBuy('1', '100.00'), ctx)).toBe('APPROVED');
    expect(reason(limitBuy('1.0001', '100.00'), ctx)).toBe('MAX_POSITION_INSTRUMENT');
    expect(reason(limitSell('1', '100.00'), ctx)).toBe('MAX_POSITION_INSTRUMENT');
  });

  it('sums instruments of one base asset on a venue for the venue position limit', () => {
    const exposure = exposureWith();
    exposure.applyFill(parseClientOrderId('x'), BTC_EUR, 'BUY', Quantity.parse('2'));
    const ctx = context({ limits: limits({ maxVenuePosition: { paper: { BTC: '3' } } }), exposure });
    expect(reason(limitBuy('1', '100.00'), ctx)).toBe('APPROVED');
    expect(reason(limitBuy('1.5', '100.00'), ctx)).toBe('MAX_POSITION_VENUE');
  });

  it('stops at the maximum number of open orders', () => {
    const ctx = context({
      limits: limits({ maxOpenOrders: 2 }),
      exposure: exposureWith({ id: 'a', side: 'BUY', qty: '1', price: '1.00' }),
    });
    expect(reason(limitBuy('1', '100.00'), ctx)).toBe('APPROVED');
    expect(reason(limitBuy('1', '100.00'), { ...ctx, limits: limits({ maxOpenOrders: 1 }) })).toBe(
      'MAX_OPEN_ORDERS',
    );
  });

  it('spends one token per approved order and refills on the injected clock', () => {
    let ctx = context({ limits: limits({ orderRate: { burst: 2, perSecond: 1 } }) });
    const order = limitBuy('1', '100.00');
    const first = checkNewOrder(order, ctx);
    ctx = { ...ctx, bucket: first.bucket };
    const second = checkNewOrder(order, ctx);
    ctx = { ...ctx, bucket: second.bucket };
    expect([first.decision.approved, second.decision.approved]).toEqual([true, true]);
    expect(reason(order, ctx)).toBe('ORDER_RATE');
    expect(reason(order, { ...ctx, nowMs: ctx.nowMs + 999 })).toBe('ORDER_RATE');
    expect(reason(order, { ...ctx, nowMs: ctx.nowMs + 1_000 })).toBe('APPROVED');
  });

  it('does not spend a token on a refused order', () => {
    const ctx = context({
      limits: limits({ orderRate: { burst: 1, perSecond: 1 }, maxOrderNotional: { USD: '1' } }),
    });
    const refusedOnce = checkNewOrder(limitBuy('1', '100.00'), ctx);
    expect(refusedOnce.decision.approved).toBe(false);
    expect(reason(limitBuy('0.01', '100.00'), { ...ctx, bucket: refusedOnce.bucket })).toBe('APPROVED');
  });

  it('deducts what open orders reserve from the balance', () => {
    const exposure = exposureWith(
      { id: 'a', side: 'BUY', qty: '2', price: '100.00' },
      { id: 'b', side: 'SELL', qty: '1', price: '100.00' },
    );
    const balances: Record<string, string> = { USD: '300', BTC: '1.5' };
    const balance = (_venue: string, asset: string) => {
      const text = balances[asset];
      return text === undefined ? undefined : FixedDecimal.parse(text);
    };
    const ctx = context({ exposure, balance });
    expect(reason(limitBuy('1', '100.00'), ctx)).toBe('APPROVED');
    expect(reason(limitBuy('1', '100.01'), ctx)).toBe('INSUFFICIENT_BALANCE');
    expect(reason(limitSell('0.5', '100.00'), ctx)).toBe('APPROVED');
    expect(reason(limitSell('0.5001', '100.00'), ctx)).toBe('INSUFFICIENT_BALANCE');
    expect(reason(limitBuy('1', '100.00', BTC_EUR), ctx)).toBe('INSUFFICIENT_BALANCE');
  });
});

describe('AccountExposure', () => {
  it('releases reservations as orders fill and end, and keeps the position', () => {
    const exposure = exposureWith({ id: 'a', side: 'BUY', qty: '2', price: '100.00' });
    const id = parseClientOrderId('a');
    exposure.applyFill(id, BTC_USD, 'BUY', Quantity.parse('0.5'));
    expect(exposure.reserved(BTC_USD.venue, 'USD').eq(FixedDecimal.parse('150'))).toBe(true);
    expect(exposure.openQuantity(BTC_USD.id, 'BUY').toString()).toBe('1.5');
    exposure.removeOrder(id);
    expect(exposure.reserved(BTC_USD.venue, 'USD').isZero()).toBe(true);
    expect(exposure.openOrderCount).toBe(0);
    expect(exposure.position(BTC_USD.id).toString()).toBe('0.5');
    expect(() => exposure.removeOrder(id)).toThrow(/not counted/);
  });
});
