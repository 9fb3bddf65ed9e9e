import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastParseCombinedFrame } from './fast-frame-parser.ts';
import { MalformedPayloadError } from './parse-error.ts';
import { parseCombinedFrame, parseStreamPayload } from './parse-market-data.ts';

const frames = readFileSync(
  new URL('../../../../shared/data/binanceus-ws-frames-2021-10-12.ndjson', import.meta.url),
  'utf8',
)
  .split('\n')
  .filter((line) => line.length > 0)
  .map((line) => JSON.stringify((JSON.parse(line) as { frame: unknown }).frame));

/** The validating path alone: JSON.parse, then the shape checks. */
function slow(text: string): unknown {
  const frame = JSON.parse(text) as { stream: string; data: unknown };
  return parseStreamPayload(frame.stream, frame.data);
}

describe('fast combined-frame parser', () => {
  it('gives exactly what the validating parser gives on every recorded frame it handles', () => {
    let handled = 0;
    for (const text of frames) {
      const fast = fastParseCombinedFrame(text);
      if (fast === undefined) continue;
      handled++;
      expect(fast).toEqual(slow(text));
    }
    // Every depth, aggTrade and bookTicker frame (all but the 5 klines).
    expect(handled).toBe(frames.length - 5);
  });

  const decimal = fc
    .tuple(fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.integer({ min: 0, max: 18 }))
    .map(([raw, precision]) => {
      const digits = raw.toString().padStart(precision + 1, '0');
      return precision === 0 ? digits : `${digits.slice(0, -precision)}.${digits.slice(-precision)}`;
    });
  const level = fc.tuple(decimal, decimal);

  it('agrees with the validating parser on generated depth and trade frames', () => {
    fc.assert(
      fc.property(
        fc.array(level, { maxLength: 5 }),
        fc.array(level, { maxLength: 5 }),
        fc.integer({ min: 0, max: 2 ** 40 }),
        decimal,
        decimal,
        (b, a, id, p, q) => {
          const depth = JSON.stringify({
            stream: 'btcusd@depth@100ms',
            data: { e: 'depthUpdate', E: 1, s: 'BTCUSD', U: id, u: id + 3, b, a },
          });
          expect(fastParseCombinedFrame(depth)).toEqual(slow(depth));
          const trade = JSON.stringify({
            stream: 'btcusd@trade',
            data: { e: 'trade', E: 2, s: 'BTCUSD', t: id, p, q, b: 5, a: 6, T: 3, m: true, M: true },
          });
          expect(fastParseCombinedFrame(trade)).toEqual(slow(trade));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('declines other layouts and bad values, leaving them to the validating parser', () => {
    const good =
      '{"stream":"btcusd@trade","data":{"e":"trade","E":1,"s":"BTCUSD","t":1,"p":"1.5","q":"2","T":1,"m":true,"M":true}}';
    expect(fastParseCombinedFrame(good)?.kind).toBe('trade');
    const spaced = good.replace('"E":1', '"E": 1');
    expect(fastParseCombinedFrame(spaced)).toBeUndefined();
    expect(parseCombinedFrame(spaced)?.kind).toBe('trade');
    for (const bad of [
      good.replace('"p":"1.5"', '"p":1.5'),
      good.replace('"q":"2"', '"q":"-2"'),
      good.replace('"p":"1.5"', '"p":"1e5"'),
      good.replace('"p":"1.5"', '"p":".5"'),
      good.replace('"m":true', '"m":"yes"'),
      good.slice(0, -3),
    ]) {
      expect(fastParseCombinedFrame(bad)).toBeUndefined();
      expect(() => parseCombinedFrame(bad)).toThrow(MalformedPayloadError);
    }
  });
});
