import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInstrumentIdParts } from '../identifiers/index.ts';
import { Price, Quantity } from '../values/index.ts';
import { applyExecution, averageEntryPrice, emptyPosition } from './position.ts';
import type { Position } from './position.ts';

const parts = parseInstrumentIdParts('BTC-USD.PAPER');
const BTC = { id: parts.id, venue: parts.venue, baseAsset: 'BTC', quoteAsset: 'USD' };

function after(...executions: [side: 'BUY' | 'SELL', quantity: string, price: string][]): Position {
  return executions.reduce(
    (position, [side, quantity, price]) =>
      applyExecution(position, side, Quantity.parse(quantity), Price.parse(price)),
    emptyPosition(BTC),
  );
}

describe('averageEntryPrice', () => {
  it('is undefined while flat and the lot price for one lot', () => {
    expect(averageEntryPrice(emptyPosition(BTC))).toBeUndefined();
    expect(averageEntryPrice(after(['BUY', '1', '100.00'], ['SELL', '1', '110.00']))).toBeUndefined();
    expect(averageEntryPrice(after(['BUY', '0.5', '100.25']))?.toString()).toBe('100.25');
  });

  it('weights the open lots by quantity, exact at the lots’ precision when it comes out exact', () => {
    expect(averageEntryPrice(after(['BUY', '1', '100.00'], ['BUY', '3', '104.00']))?.toString()).toBe(
      '103.00',
    );
    // 1 @ 100 and 2 @ 101 → 302 / 3 = 100.666…: eight more decimals, half-even.
    expect(averageEntryPrice(after(['BUY', '1', '100.00'], ['BUY', '2', '101.00']))?.toString()).toBe(
      '100.6666666667',
    );
    // FIFO: selling 1 closes the 100.00 lot; the rest was bought at 104.00.
    expect(
      averageEntryPrice(
        after(['BUY', '1', '100.00'], ['BUY', '3', '104.00'], ['SELL', '1', '90.00']),
      )?.toString(),
    ).toBe('104.00');
    // Short positions average their short lots.
    expect(averageEntryPrice(after(['SELL', '2', '50.10'], ['SELL', '2', '50.20']))?.toString()).toBe(
      '50.15',
    );
  });

  it('agrees with an arbitrary-precision average of the open lots', () => {
    const lot = fc.tuple(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 10_000_000 }));
    fc.assert(
      fc.property(fc.array(lot, { minLength: 1, maxLength: 20 }), (lots) => {
        const position = after(
          ...lots.map(([q, p]): ['BUY', string, string] => [
            'BUY',
            (q / 1000).toFixed(3),
            (p / 100).toFixed(2),
          ]),
        );
        const cost = lots.reduce(
          (sum, [q, p]) => sum.add(new Decimal(q).div(1000).mul(new Decimal(p).div(100))),
          new Decimal(0),
        );
        const quantity = lots.reduce((sum, [q]) => sum.add(new Decimal(q).div(1000)), new Decimal(0));
        const expected = cost.div(quantity);
        const got = new Decimal(averageEntryPrice(position)?.toString() ?? 'NaN');
        expect(got.sub(expected).abs().lte(new Decimal('0.000000005'))).toBe(true);
      }),
    );
  });
});
