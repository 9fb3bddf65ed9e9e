import { describe, expect, it } from 'vitest';
import { Price, Quantity } from '../../domain/values/index.ts';
import type { BookLevel } from './commands.ts';
import { Replayer } from './replayer.ts';
import { BTCUSD, balanceOf, levels, limit, testEngine } from './test-support.ts';

const lv = (price: string, quantity: string): BookLevel => [Price.parse(price), Quantity.parse(quantity)];

describe('Replayer', () => {
  it('sets a snapshot, applies diffs (zero removes) and a new snapshot drops unlisted levels', () => {
    const engine = testEngine();
    const replayer = new Replayer({ engine });
    replayer.apply({
      kind: 'snapshot',
      instrumentId: BTCUSD,
      bids: [lv('99.00', '1'), lv('98.00', '2')],
      asks: [lv('101.00', '1.5')],
    });
    expect(levels(engine)).toEqual({
      bids: [
        ['99.00', '1.00000'],
        ['98.00', '2.00000'],
      ],
      asks: [['101.00', '1.50000']],
    });
    const stats = replayer.apply({
      kind: 'diff',
      instrumentId: BTCUSD,
      bids: [lv('99.00', '0'), lv('99.50', '0.5')],
      asks: [lv('101.00', '3')],
    });
    expect(stats).toEqual({ levelsSet: 2, levelsRemoved: 1, trades: 0, rejected: 0 });
    expect(levels(engine)).toEqual({
      bids: [
        ['99.50', '0.50000'],
        ['98.00', '2.00000'],
      ],
      asks: [['101.00', '3.00000']],
    });
    replayer.apply({
      kind: 'snapshot',
      instrumentId: BTCUSD,
      bids: [lv('98.00', '2')],
      asks: [lv('100.00', '1')],
    });
    expect(levels(engine)).toEqual({ bids: [['98.00', '2.00000']], asks: [['100.00', '1.00000']] });
  });

  it('lets user orders trade against replayed levels and replays trades through the user', () => {
    const engine = testEngine();
    const replayer = new Replayer({ engine });
    engine.deposit('user', 'USD', '1000');
    engine.deposit('user', 'BTC', '1');
    replayer.apply({
      kind: 'snapshot',
      instrumentId: BTCUSD,
      bids: [lv('99.00', '1')],
      asks: [lv('101.00', '1')],
    });
    const buy = engine.submit('user', limit('BUY', '101.00', '0.5'));
    if (!buy.accepted) throw new Error('rejected');
    expect(buy.order.status).toBe('FILLED');
    engine.submit('user', limit('SELL', '100.00', '0.25'));
    const stats = replayer.apply({
      kind: 'trade',
      instrumentId: BTCUSD,
      price: Price.parse('100.00'),
      quantity: Quantity.parse('0.25'),
      takerSide: 'BUY',
    });
    expect(stats.trades).toBe(1);
    // 1 + 0.5 bought − 0.001 taker fee (0.2 %) − 0.25 sold
    expect(balanceOf(engine, 'user', 'BTC')).toEqual({ free: '1.24900000', locked: '0.00000000' });
  });

  it('counts levels the engine refuses (off the tick grid)', () => {
    const engine = testEngine();
    const replayer = new Replayer({ engine });
    const stats = replayer.apply({ kind: 'diff', instrumentId: BTCUSD, bids: [lv('99.001', '1')], asks: [] });
    expect(stats.rejected).toBe(1);
  });
});
