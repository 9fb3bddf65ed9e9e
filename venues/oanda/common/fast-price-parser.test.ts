import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastParsePricingLine } from './fast-price-parser.ts';
import { MalformedPayloadError } from './parse-error.ts';
import { parsePricingLine } from './parse-line.ts';
import { parsePricingLineText } from './parse-price.ts';
import type { OandaPricingLine } from './price-line.ts';

const DATA = new URL('../../../../shared/data/', import.meta.url);
const recorded = [
  'oanda-v20-pricing-stream-2017-03-09.ndjson',
  'oanda-v20-pricing-stream-docs-example.ndjson',
].flatMap((f) =>
  readFileSync(new URL(f, DATA), 'utf8')
    .split('\n')
    .filter((l) => l.length > 0),
);

const LINE =
  '{"type":"PRICE","time":"2017-03-09T13:37:46.048197280Z","bids":[{"price":"1.05522","liquidity":10000000}],' +
  '"asks":[{"price":"1.05534","liquidity":10000000}],"closeoutBid":"1.05518","closeoutAsk":"1.05538",' +
  '"status":"tradeable","tradeable":true,"instrument":"EUR_USD"}';

/** The validating parser's answer: a line, or the error it throws. */
function validated(text: string): OandaPricingLine | Error {
  try {
    return parsePricingLineText(text);
  } catch (error) {
    if (error instanceof Error) return error;
    throw error;
  }
}

/**
 * The fast path either declines (`undefined`) or gives exactly what the validating parser gives,
 * which must then accept the line; the public parsePricingLine agrees with the validating parser
 * either way.
 */
function expectAgreement(text: string): OandaPricingLine | undefined {
  const slow = validated(text);
  const fast = fastParsePricingLine(text);
  if (fast !== undefined) {
    expect(slow, text).not.toBeInstanceOf(Error);
    expect(fast, text).toStrictEqual(slow);
  }
  if (slow instanceof Error) {
    expect(slow, text).toBeInstanceOf(MalformedPayloadError);
    expect(() => parsePricingLine(text), text).toThrow(MalformedPayloadError);
  } else {
    expect(parsePricingLine(text), text).toStrictEqual(slow);
  }
  return fast;
}

// Lines in the venue's layouts, built from wire values; `good` values are ones the venue sends, `any`
// adds values the validating parser refuses or that only it reads (escapes, exponents, other forms).
const goodTime = fc
  .record({
    ms: fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }),
    fraction: fc.stringMatching(/^\d{0,9}$/),
  })
  .map(({ ms, fraction }) => new Date(ms).toISOString().slice(0, 19) + (fraction ? `.${fraction}Z` : 'Z'));
const anyTime = fc.oneof(
  goodTime,
  fc.stringMatching(/^\d{4}-[01]\d-[0-3]\dT[0-2]\d:[0-6]\d:[0-6]\d(\.\d{1,10})?Z?$/),
  fc.constantFrom('2017-02-29T00:00:00Z', '2016-02-29T23:59:59.999Z', '2017-03-09 13:37:46Z', ''),
);
const goodDecimal = fc.stringMatching(/^(0|[1-9]\d{0,6})(\.\d{1,9})?$/);
const anyDecimal = fc.oneof(
  goodDecimal,
  fc.stringMatching(/^-?\d{0,20}(\.\d{0,20})?$/),
  fc.constantFrom('1e5', '01.5', '1.', '.5', '1.0000000000000000001', '9'.repeat(101), '1\\u0030'),
);
const goodLiquidity = fc.integer({ min: 0, max: 1e12 }).map(String);
const anyLiquidity = fc.oneof(
  goodLiquidity,
  fc.constantFrom('1.5', '1e3', '-1', '010', '"5"', '9007199254740993', '1234567890123456', 'null'),
);
const goodName = fc.stringMatching(/^[A-Z]{3}_[A-Z]{3}$/);
const anyName = fc.oneof(goodName, fc.constantFrom('', 'EUR\\u005fUSD', 'A"B', 'caf\u00e9'));

interface Wire {
  time: string;
  instrument: string;
  tradeable: boolean;
  status: string;
  bids: [string, string][];
  asks: [string, string][];
  closeoutBid: string;
  closeoutAsk: string;
}

function wire(good: boolean): fc.Arbitrary<Wire> {
  const level = fc.tuple(good ? goodDecimal : anyDecimal, good ? goodLiquidity : anyLiquidity);
  return fc.record({
    time: good ? goodTime : anyTime,
    instrument: good ? goodName : anyName,
    tradeable: fc.boolean(),
    status: fc.constantFrom('tradeable', 'non-tradeable', 'invalid'),
    bids: fc.array(level, { maxLength: 5 }),
    asks: fc.array(level, { maxLength: 5 }),
    closeoutBid: good ? goodDecimal : anyDecimal,
    closeoutAsk: good ? goodDecimal : anyDecimal,
  });
}

const levelsPL = (levels: [string, string][]): string =>
  `[${levels.map(([p, l]) => `{"price":"${p}","liquidity":${l}}`).join(',')}]`;
const levelsLP = (levels: [string, string][]): string =>
  `[${levels.map(([p, l]) => `{"liquidity":${l},"price":"${p}"}`).join(',')}]`;

/** The three PRICE layouts the fast path knows. */
const LAYOUTS: Record<string, (w: Wire) => string> = {
  current: (w) =>
    `{"type":"PRICE","time":"${w.time}","bids":${levelsPL(w.bids)},"asks":${levelsPL(w.asks)},` +
    `"closeoutBid":"${w.closeoutBid}","closeoutAsk":"${w.closeoutAsk}","status":"${w.status}",` +
    `"tradeable":${w.tradeable},"instrument":"${w.instrument}"}`,
  recorded2017: (w) =>
    `{"asks":${levelsLP(w.asks)},"tradeable":${w.tradeable},"instrument":"${w.instrument}","type":"PRICE",` +
    `"closeoutAsk":"${w.closeoutAsk}","closeoutBid":"${w.closeoutBid}","time":"${w.time}",` +
    `"status":"${w.status}","bids":${levelsLP(w.bids)}}`,
  docsExample: (w) =>
    `{"status":"${w.status}","asks":${levelsPL(w.asks)},"closeoutBid":"${w.closeoutBid}",` +
    `"bids":${levelsPL(w.bids)},"instrument":"${w.instrument}","time":"${w.time}",` +
    `"closeoutAsk":"${w.closeoutAsk}","type":"PRICE"}`,
};

const HEARTBEATS: Record<string, (time: string, id: string) => string> = {
  pricing: (time) => `{"type":"HEARTBEAT","time":"${time}"}`,
  recorded: (time, id) => `{"lastTransactionID":"${id}","time":"${time}","type":"HEARTBEAT"}`,
  documented: (time, id) => `{"type":"HEARTBEAT","lastTransactionID":"${id}","time":"${time}"}`,
};

/** A line with one edit: a character removed, inserted or replaced. */
const edited = (line: string): fc.Arbitrary<string> =>
  fc
    .record({
      at: fc.nat({ max: line.length }),
      kind: fc.constantFrom('remove', 'insert', 'replace'),
      ch: fc.constantFrom(' ', '"', ',', '{', '}', '[', ']', ':', '0', '9', '.', '-', 'e', 'x', '\\'),
    })
    .map(({ at, kind, ch }) =>
      kind === 'remove'
        ? line.slice(0, at) + line.slice(at + 1)
        : kind === 'insert'
          ? line.slice(0, at) + ch + line.slice(at)
          : line.slice(0, at) + ch + line.slice(at + 1),
    );

describe('fastParsePricingLine', () => {
  it('takes every recorded line and equals the validating parser', () => {
    for (const line of recorded) expect(expectAgreement(line), line).toBeDefined();
  });

  it.each(Object.entries(LAYOUTS))(
    'takes %s-layout lines of venue values and equals the validating parser',
    (_n, make) => {
      fc.assert(
        fc.property(wire(true), (w) => {
          expect(expectAgreement(make(w))).toBeDefined();
        }),
        { numRuns: 300 },
      );
    },
  );

  it.each(Object.entries(HEARTBEATS))('takes %s heartbeats and equals the validating parser', (_n, make) => {
    fc.assert(
      fc.property(goodTime, fc.stringMatching(/^[1-9]\d{0,19}$/), (time, id) => {
        expect(expectAgreement(make(time, id))).toBeDefined();
      }),
      { numRuns: 200 },
    );
  });

  it.each(Object.entries(LAYOUTS))('declines or agrees on %s-layout lines of any values', (_n, make) => {
    fc.assert(
      fc.property(wire(false), (w) => {
        expectAgreement(make(w));
      }),
      { numRuns: 500 },
    );
  });

  it('declines or agrees on any heartbeat values', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.values(HEARTBEATS)),
        anyTime,
        fc.oneof(fc.stringMatching(/^\d{0,22}$/), fc.constantFrom('x', '1 ')),
        (make, time, id) => {
          expectAgreement(make(time, id));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('declines or agrees on single-character edits of recorded and generated lines', () => {
    const lines = fc.oneof(
      fc.constantFrom(...recorded, LINE),
      fc.tuple(fc.constantFrom(...Object.values(LAYOUTS)), wire(true)).map(([make, w]) => make(w)),
    );
    fc.assert(
      fc.property(lines.chain(edited), (line) => {
        expectAgreement(line);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves keys in another order, extra keys and whitespace to the validating parser', () => {
    const reordered = LINE.replace('{"type":"PRICE",', '{').replace(
      '}],"closeoutBid"',
      '}],"type":"PRICE","closeoutBid"',
    );
    for (const line of [
      reordered,
      LINE.replace('"status"', '"extra":"x","status"'),
      LINE.replace('"type":', '"type": '),
      `${LINE}\n`,
      LINE.replace('"instrument":"EUR_USD"}', '"instrument":"EUR_USD","lastTransactionID":"1"}'),
    ]) {
      expect(expectAgreement(line), line).toBeUndefined();
      expect(parsePricingLine(line)).toStrictEqual(parsePricingLineText(line));
    }
  });

  it.each([
    ['a numeric price', LINE.replace('"price":"1.05522"', '"price":1.05522')],
    ['a negative price', LINE.replace('"1.05522"', '"-1.05522"')],
    ['an exponent', LINE.replace('"1.05522"', '"1e5"')],
    ['a trailing dot', LINE.replace('"1.05522"', '"1."')],
    ['an escape', LINE.replace('EUR_USD', 'EUR\\u005fUSD')],
    ['a date that does not exist', LINE.replace('2017-03-09', '2017-02-30')],
    ['a second past 59', LINE.replace('13:37:46', '13:37:60')],
    ['too many decimals', LINE.replace('"1.05522"', '"1.0552200000000000000"')],
    ['trailing text', `${LINE} x`],
    ['a fractional liquidity', LINE.replace('"liquidity":10000000}]', '"liquidity":1.5}]')],
  ])('leaves %s to the validating parser', (_name, line) => {
    expect(fastParsePricingLine(line)).toBeUndefined();
    expectAgreement(line);
  });
});
