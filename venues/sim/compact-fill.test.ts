import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { FixedDecimal, Price, Quantity } from '../../domain/values/index.ts';
import { MatchingEngine } from '../paper/index.ts';
import type { PaperFill } from '../paper/index.ts';
import { compactFill, expandFill } from './compact-fill.ts';

/** A real fill from an engine: a taker buy at a price of fewer decimals than the tick, with its fee. */
function fills(): readonly PaperFill[] {
  let time = 1_764_270_000_123;
  const engine = new MatchingEngine({
    instruments: [
      {
        id: 'BTC-USD',
        symbol: 'BTCUSD',
        base: 'BTC',
        quote: 'USD',
        tickSize: Price.parse('0.01'),
        stepSize: Quantity.parse('0.00000001'),
        minQty: Quantity.parse('0.00000001'),
        maxQty: Quantity.parse('1000'),
        minNotional: FixedDecimal.parse('1'),
      },
    ],
    makerFeeRate: FixedDecimal.parse('0.004'),
    takerFeeRate: FixedDecimal.parse('0.006'),
    clock: () => time++,
  });
  engine.deposit('maker', 'BTC', '10');
  engine.deposit('taker', 'USD', '1000000');
  const order = {
    instrumentId: 'BTC-USD',
    type: 'LIMIT',
    timeInForce: 'GTC',
    price: Price.parse('30000.5'),
    quantity: Quantity.parse('0.12345678'),
  } as const;
  engine.submit('maker', { ...order, clientOrderId: 'm', side: 'SELL' });
  const taken = engine.submit('taker', { ...order, clientOrderId: 't', side: 'BUY' });
  if (!taken.accepted) throw new Error(taken.message);
  return taken.fills;
}

describe('compactFill', () => {
  it('gives back every field of the fill, exactly', () => {
    const taken = fills();
    expect(taken.length).toBe(1);
    for (const fill of taken) {
      expect(fill.fee.raw).not.toBe(0n);
      expect(expandFill(compactFill(fill))).toStrictEqual(fill);
    }
    const maker: PaperFill = {
      tradeId: 12_345_678_901_234_567_890n,
      orderId: '42',
      price: Price.parse('-0.5'),
      quantity: Quantity.parse('7'),
      fee: FixedDecimal.parse('0.000000000000000001'),
      feeAsset: 'USD',
      liquidity: 'MAKER',
      time: 1_764_270_000_123,
    };
    expect(expandFill(compactFill(maker))).toStrictEqual(maker);
  });

  it('keeps a fill in about a third of the bytes of the PaperFill', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const count = 20_000;
    const [template] = fills();
    if (template === undefined) throw new Error('no fill');
    // Each fill built as the engine builds one: its own decimals, trade id and order id.
    const fill = (i: number): PaperFill => ({
      ...template,
      tradeId: BigInt(1_000_000 + i),
      orderId: String(2_000_000 + i),
      price: Price.fromRaw(template.price.raw + BigInt(i), template.price.precision),
      quantity: Quantity.fromRaw(template.quantity.raw + BigInt(i), template.quantity.precision),
      fee: FixedDecimal.fromRaw(template.fee.raw + BigInt(i), template.fee.precision),
      time: template.time + i,
    });
    const retained = (keep: (f: PaperFill) => unknown): number => {
      const held: unknown[] = [];
      gc();
      gc();
      const before = getHeapStatistics().used_heap_size;
      for (let i = 0; i < count; i++) held.push(keep(fill(i)));
      gc();
      gc();
      const bytes = (getHeapStatistics().used_heap_size - before) / count;
      expect(held.length).toBe(count);
      return bytes;
    };
    const whole = retained((f) => f);
    const compact = retained(compactFill);
    expect(compact).toBeLessThan(whole / 2);
  });
});
