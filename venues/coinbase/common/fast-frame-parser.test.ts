import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastParseMessage } from './fast-frame-parser.ts';
import type { CoinbaseMessage } from './market-data.ts';
import { MalformedPayloadError } from './parse-error.ts';
import { parseMessage, parseValidated } from './parse-messages.ts';

const FRAMES = new URL(
  '../../../../shared/data/coinbase-advanced-trade-ws-excerpt-2026-09-30.ndjson',
  import.meta.url,
);
const recorded = readFileSync(FRAMES, 'utf8')
  .split('\n')
  .filter((l) => l.length > 0);
const market = recorded.filter((l) => l.includes('"l2_data"') || l.includes('"market_trades"'));

/** The validating parser's answer: a message, or the error it throws. */
function validated(text: string): CoinbaseMessage | Error {
  try {
    return parseValidated(text);
  } catch (error) {
    if (error instanceof Error) return error;
    throw error;
  }
}

/**
 * The fast path either declines (`undefined`) or gives exactly what the validating parser gives,
 * which must then accept the frame; the public parseMessage agrees with the validating parser either way.
 */
function expectAgreement(text: string): CoinbaseMessage | undefined {
  const slow = validated(text);
  const fast = fastParseMessage(text);
  if (fast !== undefined) {
    expect(slow, text).not.toBeInstanceOf(Error);
    expect(fast, text).toStrictEqual(slow);
  }
  if (slow instanceof Error) {
    expect(slow, text).toBeInstanceOf(MalformedPayloadError);
    expect(() => parseMessage(text), text).toThrow(MalformedPayloadError);
  } else {
    expect(parseMessage(text), text).toStrictEqual(slow);
  }
  return fast;
}

// Frames in the venue's layout, built from wire values; `good` values are ones the venue sends, `any`
// adds values the validating parser refuses or that only it reads (escapes, exponents, other forms).
const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const goodTime = fc
  .record({
    ms: fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }),
    fraction: fc.stringMatching(/^\d{0,9}$/),
  })
  .map(({ ms, fraction }) => new Date(ms).toISOString().slice(0, 19) + (fraction ? `.${fraction}Z` : 'Z'));
const anyTime = fc.oneof(
  goodTime,
  fc
    .tuple(
      fc.integer({ min: 0, max: 9999 }),
      fc.integer({ min: 0, max: 13 }),
      fc.integer({ min: 0, max: 32 }),
      fc.integer({ min: 0, max: 25 }),
      fc.integer({ min: 0, max: 61 }),
      fc.integer({ min: 0, max: 61 }),
      fc.stringMatching(/^(\.\d{0,11})?$/),
    )
    .map(
      ([y, mo, d, h, mi, sec, f]) =>
        `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(sec, 2)}${f}Z`,
    ),
  fc.constantFrom(
    '2026-09-30T02:39:59+00:00',
    '2026-09-30t02:39:59z',
    '2026-09-30 02:39:59Z',
    'yesterday',
    '',
  ),
);
const goodDecimal = fc
  .tuple(fc.stringMatching(/^\d{1,12}$/), fc.option(fc.stringMatching(/^\d{1,10}$/), { nil: undefined }))
  .map(([whole, fraction]) => (fraction === undefined ? whole : `${whole}.${fraction}`));
const anyDecimal = fc.oneof(
  goodDecimal,
  fc
    .tuple(fc.stringMatching(/^\d{1,40}$/), fc.stringMatching(/^\d{0,25}$/))
    .map(([whole, fraction]) => (fraction === '' ? whole : `${whole}.${fraction}`)),
  fc.constantFrom('-1.5', '1e3', '1.', '.5', '', ' 1', '+1', '0x10', 'NaN', '1'.repeat(101), '٣'),
);
const goodString = fc.stringMatching(/^[A-Z0-9-]{0,12}$/);
const anyString = fc.oneof(goodString, fc.string({ unit: 'binary', maxLength: 8 }));
const goodSequence = fc.integer({ min: 0, max: 999_999_999_999_999 }).map(String);
const anySequence = fc.oneof(
  goodSequence,
  fc.constantFrom('007', '-1', '1e3', '1.0', '9007199254740993', '"7"', '1234567890123456'),
);

interface Values {
  readonly time: fc.Arbitrary<string>;
  readonly decimal: fc.Arbitrary<string>;
  readonly string: fc.Arbitrary<string>;
  readonly sequence: fc.Arbitrary<string>;
  readonly side: fc.Arbitrary<string>;
  readonly type: fc.Arbitrary<string>;
}

const good = {
  time: goodTime,
  decimal: goodDecimal,
  string: goodString,
  sequence: goodSequence,
  type: fc.constantFrom('update', 'snapshot'),
};
const goodValues = (side: fc.Arbitrary<string>): Values => ({ ...good, side });
const anyValues = (side: fc.Arbitrary<string>): Values => ({
  time: anyTime,
  decimal: anyDecimal,
  string: anyString,
  sequence: anySequence,
  side: fc.oneof(side, fc.constantFrom('ask', 'BID', 'buy', '')),
  type: fc.oneof(good.type, fc.constantFrom('Update', '')),
});

const q = (text: string): string => JSON.stringify(text);

function envelope(channel: string, v: Values): fc.Arbitrary<string> {
  return fc
    .tuple(fc.boolean(), v.time, v.sequence)
    .map(
      ([clientId, time, seq]) =>
        `{"channel":"${channel}",${clientId ? '"client_id":"",' : ''}"timestamp":${q(time)},"sequence_num":${seq},"events":[`,
    );
}

function l2Frame(v: Values): fc.Arbitrary<string> {
  const update = fc
    .tuple(v.side, v.time, v.decimal, v.decimal)
    .map(
      ([side, time, price, quantity]) =>
        `{"side":${q(side)},"event_time":${q(time)},"price_level":${q(price)},"new_quantity":${q(quantity)}}`,
    );
  const event = fc
    .tuple(v.type, v.string, fc.array(update, { maxLength: 6 }))
    .map(
      ([type, product, updates]) =>
        `{"type":${q(type)},"product_id":${q(product)},"updates":[${updates.join(',')}]}`,
    );
  return fc
    .tuple(envelope('l2_data', v), fc.array(event, { minLength: 1, maxLength: 3 }))
    .map(([head, events]) => `${head}${events.join(',')}]}`);
}

function tradesFrame(v: Values): fc.Arbitrary<string> {
  const trade = fc
    .tuple(v.string, v.string, v.decimal, v.decimal, v.time, v.side)
    .map(
      ([product, id, price, size, time, side]) =>
        `{"product_id":${q(product)},"trade_id":${q(id)},"price":${q(price)},"size":${q(size)},"time":${q(time)},"side":${q(side)}}`,
    );
  const event = fc
    .tuple(v.type, fc.array(trade, { maxLength: 4 }))
    .map(([type, trades]) => `{"type":${q(type)},"trades":[${trades.join(',')}]}`);
  return fc
    .tuple(envelope('market_trades', v), fc.array(event, { minLength: 1, maxLength: 3 }))
    .map(([head, events]) => `${head}${events.join(',')}]}`);
}

const l2Sides = fc.constantFrom('bid', 'offer');
const tradeSides = fc.constantFrom('BUY', 'SELL');
const goodFrame = fc.oneof(l2Frame(goodValues(l2Sides)), tradesFrame(goodValues(tradeSides)));
const anyFrame = fc.oneof(l2Frame(anyValues(l2Sides)), tradesFrame(anyValues(tradeSides)));

/** One character inserted, deleted or replaced. */
const edited = fc
  .tuple(
    fc.oneof(goodFrame, fc.constantFrom(...market)),
    fc.nat(),
    fc.constantFrom('insert', 'delete', 'replace'),
  )
  .chain(([text, at, op]) =>
    fc
      .constantFrom(
        '"',
        ',',
        '{',
        '}',
        '[',
        ']',
        ':',
        ' ',
        '\\',
        '0',
        '9',
        '.',
        '-',
        'e',
        'Z',
        'a',
        '\n',
        'é',
      )
      .map((c) => {
        const i = at % text.length;
        if (op === 'insert') return text.slice(0, i) + c + text.slice(i);
        if (op === 'delete') return text.slice(0, i) + text.slice(i + 1);
        return text.slice(0, i) + c + text.slice(i + 1);
      }),
  );

describe('fastParseMessage', () => {
  it('gives exactly what the validating parser gives for the recorded l2_data and market_trades frames', () => {
    expect(market.length).toBe(3);
    for (const line of market) {
      expect(fastParseMessage(line)).toBeDefined();
      expect(fastParseMessage(line)).toStrictEqual(parseValidated(line));
    }
  });

  it('reads every frame in the venue layout with venue values, as the validating parser does', () => {
    fc.assert(
      fc.property(goodFrame, (text) => {
        expect(expectAgreement(text), text).toBeDefined();
      }),
      { numRuns: 1500 },
    );
  });

  it('declines or agrees on frames with values the venue does not send', () => {
    fc.assert(
      fc.property(anyFrame, (text) => {
        expectAgreement(text);
      }),
      { numRuns: 3000 },
    );
  });

  it('declines or agrees after any one-character edit of a frame', () => {
    fc.assert(
      fc.property(edited, (text) => {
        expectAgreement(text);
      }),
      { numRuns: 5000 },
    );
  });

  it('leaves other channels and other layouts to the validating parser', () => {
    for (const line of recorded.filter((l) => !l.includes('"l2_data"') && !l.includes('"market_trades"'))) {
      expect(fastParseMessage(line)).toBeUndefined();
    }
    const l2 = recorded[1] as string;
    const trades = recorded[0] as string;
    for (const other of [
      l2.replace('"events":[', '"events": ['),
      `${l2}\n`,
      ` ${l2}`,
      l2.replace('"product_id":"ETH-USD"', '"product_id":"ETH\\u002dUSD"'),
      l2.replace(
        '{"side":"bid","event_time":"2026-09-30T02:39:59.537106Z",',
        '{"event_time":"2026-09-30T02:39:59.537106Z","side":"bid",',
      ),
      trades.replace(',"side":"SELL"}', ',"side":"SELL","extra":1}'),
      trades.replace('"sequence_num":247', '"sequence_num":247.0'),
    ]) {
      expect(fastParseMessage(other), other).toBeUndefined();
      expect(parseMessage(other)).toStrictEqual(parseValidated(other));
    }
    expect(parseMessage(l2.replace('"events":[', '"events": ['))).toStrictEqual(parseValidated(l2));
  });

  it('refuses what the validating parser refuses: exponents, unknown sides, impossible dates', () => {
    const l2 = recorded[1] as string;
    // Feb 30: Date.parse rolls it over to March; the fast path never reads it, the validating parser decides.
    expect(
      fastParseMessage(l2.replace('2026-09-30T02:39:59.566460558Z', '2026-02-30T02:39:59.566460558Z')),
    ).toBeUndefined();
    for (const bad of [
      l2.replace('"2667.15"', '"2.66715e3"'),
      l2.replace('"side":"offer"', '"side":"ask"'),
      l2.replace('"2.246"', '"-2.246"'),
      l2.replace('"2667.15"', `"1.${'0'.repeat(19)}"`),
      l2.replace('"sequence_num":248', '"sequence_num":0248'),
      l2.replace('"ETH-USD"', '"ETH\u0001USD"'),
    ]) {
      expect(fastParseMessage(bad), bad).toBeUndefined();
      expect(() => parseMessage(bad), bad).toThrow(MalformedPayloadError);
    }
  });

  it('reads the live client_id field, empty event lists, snapshots and long decimals', () => {
    const l2 = recorded[1] as string;
    for (const text of [
      l2.replace('{"channel":"l2_data",', '{"channel":"l2_data","client_id":"",'),
      l2.replace(/"updates":\[.*\]\}\]\}$/, '"updates":[]}]}'),
      l2.replace('{"type":"update"', '{"type":"snapshot"'),
      l2.replace('"3.23779864"', '"123456789012345678.123456789012345678"'),
    ]) {
      expect(expectAgreement(text), text).toBeDefined();
    }
  });
});
