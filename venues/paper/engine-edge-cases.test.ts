import { describe, expect, it } from 'vitest';
import { createInstrument } from '../../domain/instruments/index.ts';
import { FixedDecimal, Money, Price, Quantity } from '../../domain/values/index.ts';
import { InsufficientFundsError, UnknownInstrumentError } from './errors.ts';
import { MatchingEngine } from './matching-engine.ts';
import { BTCUSD, balanceOf, btcusd, limit, market, testEngine } from './test-support.ts';

describe('MatchingEngine instruments', () => {
  it('accepts a domain Instrument and applies its rules', () => {
    const instrument = createInstrument({
      venue: 'coinbase',
      symbol: 'ETH-USD',
      baseAsset: 'ETH',
      quoteAsset: 'USD',
      tickSize: Price.parse('0.01'),
      stepSize: Quantity.parse('0.0001'),
      minQuantity: Quantity.parse('0.001'),
      maxQuantity: Quantity.parse('5000'),
      minNotional: Money.parse('1.00', 'USD'),
    });
    const engine = new MatchingEngine({
      instruments: [instrument],
      makerFeeRate: FixedDecimal.parse('0.004'),
      takerFeeRate: FixedDecimal.parse('0.006'),
      clock: () => 0n,
    });
    engine.deposit('a', 'USD', '1000');
    const order = {
      clientOrderId: 'x',
      instrumentId: instrument.id,
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      price: Price.parse('2000.00'),
    } as const;
    expect(engine.submit('a', { ...order, quantity: Quantity.parse('0.0005') })).toMatchObject({
      reason: 'LOT_SIZE',
    });
    expect(engine.submit('a', { ...order, quantity: Quantity.parse('0.01') })).toMatchObject({
      accepted: true,
    });
    expect(engine.instrumentIds()).toEqual(['ETH-USD.COINBASE']);
  });

  it('refuses bad configuration with the field named', () => {
    const base = {
      instruments: [btcusd],
      makerFeeRate: FixedDecimal.parse('0.001'),
      takerFeeRate: FixedDecimal.parse('0.001'),
      clock: () => 0,
    };
    expect(() => new MatchingEngine({ ...base, takerFeeRate: FixedDecimal.parse('1') })).toThrow(
      /takerFeeRate/,
    );
    expect(() => new MatchingEngine({ ...base, instruments: [btcusd, btcusd] })).toThrow(/duplicate/);
    expect(
      () => new MatchingEngine({ ...base, instruments: [{ ...btcusd, tickSize: Price.parse('0') }] }),
    ).toThrow(/tickSize/);
    const engine = new MatchingEngine(base);
    expect(() => engine.deposit('a', 'EUR', '1')).toThrow(/asset/);
    expect(() => engine.deposit('a', 'USD', '0.00000000001')).toThrow(/amount/);
    expect(() => engine.book('NOPE.X')).toThrow(UnknownInstrumentError);
  });

  it('withdraws free funds only', () => {
    const engine = testEngine();
    engine.deposit('a', 'USD', '100');
    engine.submit('a', limit('BUY', '50.00', '1'));
    expect(() => engine.withdraw('a', 'USD', '60')).toThrow(InsufficientFundsError);
    engine.withdraw('a', 'USD', '50');
    expect(balanceOf(engine, 'a', 'USD')).toEqual({ free: '0.0000000000', locked: '50.0000000000' });
  });
});

describe('MatchingEngine trades', () => {
  it('keeps the most recent trades, oldest first, with both order ids', () => {
    const engine = testEngine({ recentTradesLimit: 3 });
    engine.deposit('maker', 'BTC', '10');
    engine.deposit('taker', 'USD', '10000');
    const asks = ['100.00', '100.01', '100.02', '100.03', '100.04'].map((p) => {
      const r = engine.submit('maker', limit('SELL', p, '0.1'));
      if (!r.accepted) throw new Error('rejected');
      return r.order.orderId;
    });
    const taker = engine.submit('taker', market('BUY', '0.5'));
    if (!taker.accepted) throw new Error('rejected');
    const trades = engine.trades(BTCUSD);
    expect(
      trades.map((t) => [t.tradeId, t.price.toString(), t.sellerOrderId, t.buyerOrderId, t.takerSide]),
    ).toEqual([
      [3n, '100.02', asks[2], taker.order.orderId, 'BUY'],
      [4n, '100.03', asks[3], taker.order.orderId, 'BUY'],
      [5n, '100.04', asks[4], taker.order.orderId, 'BUY'],
    ]);
    expect(engine.trades(BTCUSD, 1).map((t) => t.tradeId)).toEqual([5n]);
    expect(engine.lastPrice(BTCUSD)?.toString()).toBe('100.04');
  });
});

describe('MatchingEngine edge cases', () => {
  it('market FOK fills all or is refused', () => {
    const engine = testEngine();
    engine.deposit('maker', 'BTC', '1');
    engine.deposit('taker', 'USD', '1000');
    engine.submit('maker', limit('SELL', '100.00', '0.5'));
    expect(engine.submit('taker', market('BUY', '0.6', { timeInForce: 'FOK' }))).toMatchObject({
      reason: 'FOK_NOT_FILLABLE',
    });
    const filled = engine.submit('taker', market('BUY', '0.5', { timeInForce: 'FOK' }));
    expect(filled).toMatchObject({ accepted: true, order: { status: 'FILLED' } });
  });

  it('rejects a STOP buy by quantity at trigger time when the quote no longer covers it', () => {
    const engine = testEngine();
    engine.deposit('a', 'USD', '150');
    engine.deposit('m', 'BTC', '5');
    engine.deposit('t', 'USD', '1000');
    const stop = engine.submit('a', {
      clientOrderId: 'stop',
      instrumentId: BTCUSD,
      side: 'BUY',
      type: 'STOP',
      timeInForce: 'GTC',
      quantity: Quantity.parse('1'),
      stopPrice: Price.parse('100.00'),
    });
    expect(stop).toMatchObject({ accepted: true, order: { status: 'NEW', triggered: false } });
    engine.withdraw('a', 'USD', '100'); // nothing is locked for it until it triggers
    engine.submit('m', limit('SELL', '100.00', '2'));
    engine.submit('t', limit('BUY', '100.00', '0.1')); // prints 100.00: the stop triggers, needs 100 USD, has 50
    expect(engine.getOrder('a', { clientOrderId: 'stop' })).toMatchObject({
      status: 'REJECTED',
      triggered: true,
    });
    expect(balanceOf(engine, 'a', 'USD')).toEqual({ free: '50.0000000000', locked: '0.0000000000' });
  });

  it('cancelAll cancels open orders and pending stops of one instrument, oldest first', () => {
    const engine = testEngine();
    engine.deposit('a', 'USD', '1000');
    engine.deposit('a', 'BTC', '1');
    engine.submit('a', limit('BUY', '90.00', '1', { clientOrderId: 'one' }));
    engine.submit('a', {
      clientOrderId: 'two',
      instrumentId: BTCUSD,
      side: 'SELL',
      type: 'STOP_LIMIT',
      timeInForce: 'GTC',
      quantity: Quantity.parse('0.5'),
      stopPrice: Price.parse('80.00'),
      price: Price.parse('79.00'),
    });
    const cancelled = engine.cancelAll('a', BTCUSD);
    expect(cancelled.map((o) => [o.clientOrderId, o.status])).toEqual([
      ['one', 'CANCELED'],
      ['two', 'CANCELED'],
    ]);
    expect(engine.openOrders('a')).toEqual([]);
    expect(balanceOf(engine, 'a', 'BTC')).toEqual({ free: '1.00000000', locked: '0.00000000' });
    expect(balanceOf(engine, 'a', 'USD')).toEqual({ free: '1000.0000000000', locked: '0.0000000000' });
  });

  it('a STOP_LIMIT IOC that triggers fills what it can and expires the rest', () => {
    const engine = testEngine();
    engine.deposit('a', 'USD', '1000');
    engine.deposit('m', 'BTC', '5');
    engine.deposit('t', 'USD', '1000');
    engine.submit('a', {
      clientOrderId: 'sl',
      instrumentId: BTCUSD,
      side: 'BUY',
      type: 'STOP_LIMIT',
      timeInForce: 'IOC',
      quantity: Quantity.parse('1'),
      stopPrice: Price.parse('100.00'),
      price: Price.parse('100.00'),
    });
    engine.submit('m', limit('SELL', '100.00', '0.4'));
    engine.submit('t', limit('BUY', '100.00', '0.1'));
    expect(engine.getOrder('a', { clientOrderId: 'sl' })).toMatchObject({
      status: 'EXPIRED',
      triggered: true,
    });
    expect(engine.getOrder('a', { clientOrderId: 'sl' })?.filledQuantity.toString()).toBe('0.30000');
    expect(balanceOf(engine, 'a', 'USD')).toEqual({ free: '970.0000000000', locked: '0.0000000000' });
  });
});
