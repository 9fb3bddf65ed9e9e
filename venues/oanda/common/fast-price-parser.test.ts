import { describe, expect, it } from 'vitest';
import { fastParsePricingLine } from './fast-price-parser.ts';
import { parsePricingLineText } from './parse-price.ts';

const LINE =
  '{"type":"PRICE","time":"2017-03-09T13:37:46.048197280Z","bids":[{"price":"1.05522","liquidity":10000000}],' +
  '"asks":[{"price":"1.05534","liquidity":10000000}],"closeoutBid":"1.05518","closeoutAsk":"1.05538",' +
  '"status":"tradeable","tradeable":true,"instrument":"EUR_USD"}';

const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v)) as unknown;

describe('fastParsePricingLine', () => {
  it('reads a line in any key order exactly as the validating parser does', () => {
    expect(plain(fastParsePricingLine(LINE))).toEqual(plain(parsePricingLineText(LINE)));
    const reordered = LINE.replace('{"type":"PRICE",', '{').replace(
      '}],"closeoutBid"',
      '}],"type":"PRICE","closeoutBid"',
    );
    expect(plain(fastParsePricingLine(reordered))).toEqual(plain(parsePricingLineText(LINE)));
  });

  it.each([
    ['whitespace', LINE.replace('"type":', '"type": ')],
    ['an unknown key', LINE.replace('"status"', '"extra":"x","status"')],
    ['a numeric price', LINE.replace('"price":"1.05522"', '"price":1.05522')],
    ['a negative price', LINE.replace('"1.05522"', '"-1.05522"')],
    ['an exponent', LINE.replace('"1.05522"', '"1e5"')],
    ['a leading zero', LINE.replace('"1.05522"', '"01.05522"')],
    ['a trailing dot', LINE.replace('"1.05522"', '"1."')],
    ['an escape', LINE.replace('EUR_USD', 'EUR\\u005fUSD')],
    ['a short time', LINE.replace('46.048197280Z', '46Z')],
    ['trailing text', `${LINE} x`],
    ['a fractional liquidity', LINE.replace('"liquidity":10000000}]', '"liquidity":1.5}]')],
  ])('leaves %s to the validating parser', (_name, line) => {
    expect(fastParsePricingLine(line)).toBeUndefined();
  });

  it('stays exact when levels never repeat (interning pauses and resumes)', () => {
    for (let k = 0; k < 12_000; k++) {
      const line = LINE.replace('"liquidity":10000000}]', `"liquidity":${k + 1}}]`).replace(
        '1.05522',
        `1.${String(10000 + (k % 90000)).padStart(5, '0')}`,
      );
      const fast = fastParsePricingLine(line);
      if (k % 997 === 0) expect(plain(fast)).toEqual(plain(parsePricingLineText(line)));
      expect(fast?.type === 'PRICE' && fast.price.bids[0]?.quantity.toString()).toBe(String(k + 1));
    }
  });
});
