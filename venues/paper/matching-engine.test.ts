import { describe, expect, it } from 'vitest';
import { FixedDecimal, Price, Quantity } from '../../domain/values/index.ts';
import type { EngineEvent } from './engine-events.ts';
import { BTCUSD, balanceOf, levels, limit, market, testEngine } from './test-support.ts';

function funded(): ReturnType<typeof testEngine> {
  const engine = testEngine();
  for (const account of ['alice', 'bob', 'carol']) {
    engine.deposit(account, 'USD', '100000');
    engine.deposit(account, 'BTC', '10');
  }
  return engine;
}

describe('MatchingEngine limit orders', () => {
  it('rests a limit order that does not cross and shows it in the book', () => {
    const engine = funded();
    const result = engine.submit('alice', limit('BUY', '100.00', '1'));
    expect(result.accepted).toBe(true);
    if (!result.accepted) return;
    expect(result.order.status).toBe('NEW');
    expect(result.order.orderId).toBe('1');
    expect(result.fills).toEqual([]);
    expect(levels(engine)).toEqual({ bids: [['100.00', '1.00000']], asks: [] });
    expect(engine.book(BTCUSD).sequence).toBe(1n);
  });

  it('fills in price-time priority: better price first, then the older order at one price', () => {
    const engine = funded();
    const first = engine.submit('alice', limit('SELL', '101.00', '1'));
    const second = engine.submit('bob', limit('SELL', '101.00', '1'));
    const better = engine.submit('carol', limit('SELL', '100.50', '0.5'));
    const taker = engine.submit('alice', limit('BUY', '101.00', '1.2'));
    expect(taker.accepted).toBe(true);
    if (!taker.accepted || !first.accepted || !second.accepted || !better.accepted) return;
    expect(taker.fills.map((f) => [f.price.toString(), f.quantity.toString()])).toEqual([
      ['100.50', '0.50000'],
      // alice's own resting order at 101.00 is first in the queue: self-trade prevention stops here
    ]);
    expect(taker.order.status).toBe('EXPIRED');
    expect(taker.order.filledQuantity.toString()).toBe('0.50000');
    expect(engine.getOrder('bob', { orderId: second.order.orderId })?.status).toBe('NEW');
  });

  it('takes from the oldest order first at one price and partially fills the next', () => {
    const engine = funded();
    const first = engine.submit('bob', limit('SELL', '101.00', '1'));
    const second = engine.submit('carol', limit('SELL', '101.00', '1'));
    const taker = engine.submit('alice', limit('BUY', '101.00', '1.5'));
    if (!taker.accepted || !first.accepted || !second.accepted) throw new Error('rejected');
    expect(taker.order.status).toBe('FILLED');
    expect(engine.getOrder('bob', { orderId: first.order.orderId })?.status).toBe('FILLED');
    const partial = engine.getOrder('carol', { orderId: second.order.orderId });
    expect(partial?.status).toBe('PARTIALLY_FILLED');
    expect(partial?.filledQuantity.toString()).toBe('0.50000');
    expect(levels(engine).asks).toEqual([['101.00', '0.50000']]);
  });

  it('rests the unfilled part of a crossing GTC limit order', () => {
    const engine = funded();
    engine.submit('bob', limit('SELL', '100.00', '0.4'));
    const taker = engine.submit('alice', limit('BUY', '100.00', '1'));
    if (!taker.accepted) throw new Error('rejected');
    expect(taker.order.status).toBe('PARTIALLY_FILLED');
    expect(levels(engine)).toEqual({ bids: [['100.00', '0.60000']], asks: [] });
  });

  it('IOC fills what it can and expires the rest', () => {
    const engine = funded();
    engine.submit('bob', limit('SELL', '100.00', '0.4'));
    const taker = engine.submit('alice', limit('BUY', '100.00', '1', { timeInForce: 'IOC' }));
    if (!taker.accepted) throw new Error('rejected');
    expect(taker.order.status).toBe('EXPIRED');
    expect(taker.order.filledQuantity.toString()).toBe('0.40000');
    expect(levels(engine)).toEqual({ bids: [], asks: [] });
    expect(balanceOf(engine, 'alice', 'USD').locked).toBe('0.0000000000');
  });

  it('FOK is all or nothing', () => {
    const engine = funded();
    engine.submit('bob', limit('SELL', '100.00', '0.4'));
    engine.submit('carol', limit('SELL', '100.01', '0.4'));
    const refused = engine.submit('alice', limit('BUY', '100.01', '1', { timeInForce: 'FOK' }));
    expect(refused).toMatchObject({ accepted: false, reason: 'FOK_NOT_FILLABLE' });
    expect(levels(engine).asks).toEqual([
      ['100.00', '0.40000'],
      ['100.01', '0.40000'],
    ]);
    const filled = engine.submit('alice', limit('BUY', '100.01', '0.8', { timeInForce: 'FOK' }));
    if (!filled.accepted) throw new Error('rejected');
    expect(filled.order.status).toBe('FILLED');
    expect(filled.fills).toHaveLength(2);
  });

  it('rejects a post-only order that would take, and rests one that would not', () => {
    const engine = funded();
    engine.submit('bob', limit('SELL', '100.00', '1'));
    expect(engine.submit('alice', limit('BUY', '100.00', '1', { postOnly: true }))).toMatchObject({
      accepted: false,
      reason: 'POST_ONLY_WOULD_TAKE',
    });
    const maker = engine.submit('alice', limit('BUY', '99.99', '1', { postOnly: true }));
    if (!maker.accepted) throw new Error('rejected');
    expect(maker.order).toMatchObject({ status: 'NEW', postOnly: true });
  });
});

describe('MatchingEngine market orders', () => {
  it('walks the book and charges the taker fee in the asset received', () => {
    const engine = funded();
    engine.submit('bob', limit('SELL', '100.00', '1'));
    engine.submit('bob', limit('SELL', '101.00', '1'));
    const taker = engine.submit('alice', market('BUY', '1.5'));
    if (!taker.accepted) throw new Error('rejected');
    expect(taker.order.status).toBe('FILLED');
    expect(taker.order.cumulativeQuote.toString()).toBe('150.5000000');
    expect(taker.fills.map((f) => [f.price.toString(), f.fee.toString(), f.feeAsset, f.liquidity])).toEqual([
      ['100.00', '0.00200000', 'BTC', 'TAKER'],
      ['101.00', '0.00100000', 'BTC', 'TAKER'],
    ]);
    // alice paid 150.50 USD and received 1.5 BTC less 0.2% = 1.497
    expect(balanceOf(engine, 'alice', 'USD')).toEqual({ free: '99849.5000000000', locked: '0.0000000000' });
    expect(balanceOf(engine, 'alice', 'BTC')).toEqual({ free: '11.49700000', locked: '0.00000000' });
    // bob sold 1.5 BTC for 150.50 USD less the 0.1% maker fee (0.1505); 0.5 BTC still locked at 101
    expect(balanceOf(engine, 'bob', 'USD')).toEqual({ free: '100150.3495000000', locked: '0.0000000000' });
    expect(balanceOf(engine, 'bob', 'BTC')).toEqual({ free: '8.00000000', locked: '0.50000000' });
    expect(engine.fees().map((f) => [f.asset, f.amount.toString()])).toEqual([
      ['BTC', '0.00300000'],
      ['USD', '0.1505000000'],
    ]);
  });

  it('rejects a market order into an empty book', () => {
    const engine = funded();
    expect(engine.submit('alice', market('BUY', '1'))).toMatchObject({
      accepted: false,
      reason: 'NO_LIQUIDITY',
    });
  });

  it('expires the unfilled rest when the book runs out', () => {
    const engine = funded();
    engine.submit('bob', limit('BUY', '100.00', '0.3'));
    const taker = engine.submit('alice', market('SELL', '1'));
    if (!taker.accepted) throw new Error('rejected');
    expect(taker.order.status).toBe('EXPIRED');
    expect(taker.order.filledQuantity.toString()).toBe('0.30000');
    expect(balanceOf(engine, 'alice', 'BTC')).toEqual({ free: '9.70000000', locked: '0.00000000' });
  });

  it('buys by quote amount in whole steps and reports the quantity bought', () => {
    const engine = funded();
    engine.submit('bob', limit('SELL', '100.00', '0.5'));
    engine.submit('bob', limit('SELL', '200.00', '1'));
    const taker = engine.submit(
      'alice',
      market('BUY', '0', { quoteQuantity: FixedDecimal.parse('150.00'), quantity: Quantity.zero() }),
    );
    if (!taker.accepted) throw new Error('rejected');
    // 50.00 buys 0.5 at 100; the remaining 100.00 buys 0.5 at 200
    expect(taker.order.filledQuantity.toString()).toBe('1.00000');
    expect(taker.order.quantity.toString()).toBe('1.00000');
    expect(taker.order.cumulativeQuote.toString()).toBe('150.0000000');
    expect(taker.order.status).toBe('FILLED');
    expect(balanceOf(engine, 'alice', 'USD')).toEqual({ free: '99850.0000000000', locked: '0.0000000000' });
  });

  it('says FILLED in the last event of a buy by quote amount, as a stream follower sees it', () => {
    const engine = funded();
    engine.submit('bob', limit('SELL', '100.00', '0.5'));
    engine.submit('bob', limit('SELL', '200.00', '1'));
    const events: EngineEvent[] = [];
    engine.subscribe((event) => events.push(event));
    const taker = engine.submit(
      'alice',
      market('BUY', '0', { quoteQuantity: FixedDecimal.parse('150.00'), quantity: Quantity.zero() }),
    );
    if (!taker.accepted) throw new Error('rejected');
    const own = events.filter(
      (e): e is Extract<EngineEvent, { kind: 'order' }> =>
        e.kind === 'order' && e.order.orderId === taker.order.orderId,
    );
    expect(own.map((e) => e.execution)).toEqual(['NEW', 'TRADE', 'TRADE']);
    expect(own.at(-1)?.order.status).toBe('FILLED');
    expect(own.at(-1)?.order.quantity.toString()).toBe('1.00000');
    expect(own.at(-1)?.fill?.quantity.toString()).toBe('0.50000');
  });
});

describe('MatchingEngine stops', () => {
  it('turns a STOP into a market order when the last trade reaches the stop price', () => {
    const engine = funded();
    const stop = engine.submit('alice', {
      clientOrderId: 'stop-1',
      instrumentId: BTCUSD,
      side: 'SELL',
      type: 'STOP',
      timeInForce: 'GTC',
      quantity: Quantity.parse('0.5'),
      stopPrice: Price.parse('99.00'),
    });
    if (!stop.accepted) throw new Error('rejected');
    expect(stop.order).toMatchObject({ status: 'NEW', triggered: false });
    expect(balanceOf(engine, 'alice', 'BTC').locked).toBe('0.50000000');
    engine.submit('bob', limit('BUY', '98.00', '2'));
    engine.submit('carol', limit('SELL', '99.50', '0.1'));
    engine.submit('bob', limit('BUY', '99.50', '0.1')); // trades at 99.50: not yet
    expect(engine.getOrder('alice', { clientOrderId: 'stop-1' })?.triggered).toBe(false);
    engine.submit('carol', limit('SELL', '99.00', '0.1'));
    engine.submit('bob', limit('BUY', '99.00', '0.1')); // trades at 99.00: triggers
    const after = engine.getOrder('alice', { clientOrderId: 'stop-1' });
    expect(after).toMatchObject({ status: 'FILLED', triggered: true });
    expect(engine.trades(BTCUSD).at(-1)?.price.toString()).toBe('98.00');
  });

  it('turns a STOP_LIMIT into a resting limit order', () => {
    const engine = funded();
    engine.submit('alice', {
      clientOrderId: 'sl',
      instrumentId: BTCUSD,
      side: 'BUY',
      type: 'STOP_LIMIT',
      timeInForce: 'GTC',
      quantity: Quantity.parse('1'),
      stopPrice: Price.parse('105.00'),
      price: Price.parse('106.00'),
    });
    expect(balanceOf(engine, 'alice', 'USD').locked).toBe('106.0000000000');
    engine.submit('carol', limit('SELL', '105.00', '0.1'));
    engine.submit('bob', limit('BUY', '105.00', '0.1'));
    expect(engine.getOrder('alice', { clientOrderId: 'sl' })).toMatchObject({
      status: 'NEW',
      triggered: true,
    });
    expect(levels(engine).bids).toEqual([['106.00', '1.00000']]);
  });
});

describe('MatchingEngine rejections and cancels', () => {
  it('rejects orders failing the filters, changing nothing', () => {
    const engine = funded();
    expect(engine.submit('alice', limit('BUY', '100.001', '1'))).toMatchObject({ reason: 'PRICE_FILTER' });
    expect(engine.submit('alice', limit('BUY', '0.00', '1'))).toMatchObject({ reason: 'PRICE_FILTER' });
    expect(engine.submit('alice', limit('BUY', '100.00', '0.000001'))).toMatchObject({ reason: 'LOT_SIZE' });
    expect(engine.submit('alice', limit('BUY', '100.00', '9001'))).toMatchObject({ reason: 'LOT_SIZE' });
    expect(engine.submit('alice', limit('BUY', '1.00', '0.5'))).toMatchObject({ reason: 'MIN_NOTIONAL' });
    expect(engine.submit('alice', limit('BUY', '100.00', '1', { instrumentId: 'X.Y' }))).toMatchObject({
      reason: 'UNKNOWN_INSTRUMENT',
    });
    expect(engine.submit('alice', market('BUY', '1', { price: Price.parse('1.00') }))).toMatchObject({
      reason: 'INVALID_ORDER',
    });
    expect(engine.submit('alice', limit('BUY', '100.00', '1', { price: undefined }))).toMatchObject({
      reason: 'INVALID_ORDER',
    });
    expect(engine.submit('alice', limit('BUY', '100000.00', '2'))).toMatchObject({
      reason: 'INSUFFICIENT_BALANCE',
    });
    expect(engine.submit('alice', limit('SELL', '100.00', '11'))).toMatchObject({
      reason: 'INSUFFICIENT_BALANCE',
    });
    expect(levels(engine)).toEqual({ bids: [], asks: [] });
    expect(balanceOf(engine, 'alice', 'USD')).toEqual({ free: '100000.0000000000', locked: '0.0000000000' });
  });

  it('rejects a duplicate client order id while the first order is open', () => {
    const engine = funded();
    engine.submit('alice', limit('BUY', '100.00', '1', { clientOrderId: 'dup' }));
    expect(engine.submit('alice', limit('BUY', '99.00', '1', { clientOrderId: 'dup' }))).toMatchObject({
      accepted: false,
      reason: 'DUPLICATE_CLIENT_ORDER_ID',
    });
    // Another account may use the same id.
    expect(engine.submit('bob', limit('BUY', '99.00', '1', { clientOrderId: 'dup' })).accepted).toBe(true);
  });

  it('locks on placement and releases on cancel; a filled order cannot be cancelled', () => {
    const engine = funded();
    const order = engine.submit('alice', limit('BUY', '100.00', '2'));
    if (!order.accepted) throw new Error('rejected');
    expect(balanceOf(engine, 'alice', 'USD')).toEqual({ free: '99800.0000000000', locked: '200.0000000000' });
    const cancelled = engine.cancel('alice', { orderId: order.order.orderId }, BTCUSD);
    expect(cancelled).toMatchObject({ cancelled: true, order: { status: 'CANCELED' } });
    expect(balanceOf(engine, 'alice', 'USD')).toEqual({ free: '100000.0000000000', locked: '0.0000000000' });
    expect(engine.cancel('alice', { orderId: order.order.orderId }, BTCUSD)).toMatchObject({
      cancelled: false,
      reason: 'ALREADY_CLOSED',
    });

    const resting = engine.submit('bob', limit('SELL', '100.00', '1'));
    engine.submit('alice', market('BUY', '1'));
    if (!resting.accepted) throw new Error('rejected');
    expect(engine.cancel('bob', { clientOrderId: resting.order.clientOrderId }, BTCUSD)).toMatchObject({
      cancelled: false,
      reason: 'ALREADY_CLOSED',
    });
    expect(engine.cancel('bob', { orderId: '999' }, BTCUSD)).toMatchObject({ reason: 'UNKNOWN_ORDER' });
    expect(engine.cancel('alice', { orderId: resting.order.orderId }, BTCUSD)).toMatchObject({
      reason: 'UNKNOWN_ORDER',
    });
  });

  it('refunds the difference when a limit buy fills below its limit price', () => {
    const engine = funded();
    engine.submit('bob', limit('SELL', '90.00', '1'));
    engine.submit('alice', limit('BUY', '100.00', '1'));
    expect(balanceOf(engine, 'alice', 'USD')).toEqual({ free: '99910.0000000000', locked: '0.0000000000' });
  });
});
