import { MAX_PRECISION, Price, Quantity } from '../../../domain/values/index.ts';
import { readUtcTime } from '../../common/utc-time.ts';
import type { OandaPriceLevel, OandaPricingLine } from './price-line.ts';

/**
 * The fast path for pricing-stream lines (PRICE and HEARTBEAT) in the exact layouts OANDA sends
 * (key order, no whitespace, no escapes), reading decimals and times straight from the text without
 * building the intermediate JSON object. Anything it does not recognise returns `undefined` and the
 * caller falls back to the validating parser (parse-price.ts), which accepts any key order and
 * reports malformed input; so this is an optimisation only, never a second definition of what is
 * valid.
 *
 * A line is first matched whole by the sticky regular expression of its layout: the regexp engine
 * checks the keys, quotes and the syntax of every value several times faster than a charCodeAt loop
 * or `startsWith` does. Values are then read at offsets the match guarantees; what the syntax
 * cannot say (a real calendar date and time of day, a decimal's precision and length) is checked
 * while reading.
 */

// Value syntax. Strings: no escapes and no control characters (JSON forbids them raw).
const STRING = String.raw`[^"\\\u0000-\u001f]*`;
const NON_EMPTY = String.raw`[^"\\\u0000-\u001f]+`;
const DECIMAL = String.raw`\d+(?:\.\d+)?`;
const TIME = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?Z`;
const INT = String.raw`(?:0|[1-9]\d{0,14})`;
const ID = String.raw`\d{1,20}`;

/** The fields of a PRICE line; a layout is their order on the wire. */
const F = {
  Type: 0,
  Instrument: 1,
  Time: 2,
  Tradeable: 3,
  Status: 4,
  Bids: 5,
  Asks: 6,
  CloseoutBid: 7,
  CloseoutAsk: 8,
} as const;
type F = (typeof F)[keyof typeof F];

const KEYS: Record<F, string> = {
  [F.Type]: 'type',
  [F.Instrument]: 'instrument',
  [F.Time]: 'time',
  [F.Tradeable]: 'tradeable',
  [F.Status]: 'status',
  [F.Bids]: 'bids',
  [F.Asks]: 'asks',
  [F.CloseoutBid]: 'closeoutBid',
  [F.CloseoutAsk]: 'closeoutAsk',
};

interface Layout {
  readonly re: RegExp;
  readonly fields: readonly F[];
  /** Levels written `{"price":…,"liquidity":…}` (true) or `{"liquidity":…,"price":…}`. */
  readonly priceFirst: boolean;
}

function layout(fields: readonly F[], priceFirst: boolean): Layout {
  const level = priceFirst
    ? String.raw`\{"price":"${DECIMAL}","liquidity":${INT}\}`
    : String.raw`\{"liquidity":${INT},"price":"${DECIMAL}"\}`;
  const value = (f: F): string => {
    switch (f) {
      case F.Type:
        return '"PRICE"';
      case F.Instrument:
        return `"${NON_EMPTY}"`;
      case F.Time:
        return `"${TIME}"`;
      case F.Tradeable:
        return '(?:true|false)';
      case F.Status:
        return `"${STRING}"`;
      case F.Bids:
      case F.Asks:
        return String.raw`\[(?:${level}(?:,${level})*)?\]`;
      case F.CloseoutBid:
      case F.CloseoutAsk:
        return `"${DECIMAL}"`;
    }
  };
  const body = fields.map((f) => `"${KEYS[f]}":${value(f)}`).join(',');
  return { re: new RegExp(String.raw`\{${body}\}$`, 'y'), fields, priceFirst };
}

// The PRICE layouts seen: the v20 stream as documented today; the practice stream recorded on
// 2017-03-09 (levels liquidity first); the v20 documentation's example stream (deprecated status only).
const CURRENT = layout(
  [F.Type, F.Time, F.Bids, F.Asks, F.CloseoutBid, F.CloseoutAsk, F.Status, F.Tradeable, F.Instrument],
  true,
);
const RECORDED_2017 = layout(
  [F.Asks, F.Tradeable, F.Instrument, F.Type, F.CloseoutAsk, F.CloseoutBid, F.Time, F.Status, F.Bids],
  false,
);
const DOCS_EXAMPLE = layout(
  [F.Status, F.Asks, F.CloseoutBid, F.Bids, F.Instrument, F.Time, F.CloseoutAsk, F.Type],
  true,
);

// HEARTBEAT layouts: the pricing stream's; the transaction stream's as recorded and as documented.
const HEARTBEAT = new RegExp(String.raw`\{"type":"HEARTBEAT","time":"${TIME}"\}$`, 'y');
const HEARTBEAT_RECORDED = new RegExp(
  String.raw`\{"lastTransactionID":"${ID}","time":"${TIME}","type":"HEARTBEAT"\}$`,
  'y',
);
const HEARTBEAT_DOCUMENTED = new RegExp(
  String.raw`\{"type":"HEARTBEAT","lastTransactionID":"${ID}","time":"${TIME}"\}$`,
  'y',
);
const heartbeatTimeAt = '{"type":"HEARTBEAT","time":"'.length;
const recordedIdAt = '{"lastTransactionID":"'.length;
const timeKey = '","time":"';
const documentedIdAt = '{"type":"HEARTBEAT","lastTransactionID":"'.length;

const ZERO = 48;
const DOT = 46;
const Q = 34; // "
const COMMA = 44;
const CLOSE_BRACKET = 93;
const LOWER_A = 97;
const LOWER_L = 108;
const LOWER_S = 115;
const LOWER_T = 116;
const UPPER_H = 72;
/** Longest decimal text the domain parser accepts (MAX_DECIMAL_LENGTH). */
const MAX_DECIMAL_LENGTH = 100;
const priceAt = '{"price":"'.length;
const liquidityAfterPrice = '","liquidity":'.length;
const liquidityAt = '{"liquidity":'.length;
const priceAfterLiquidity = ',"price":"'.length;

const digit = (s: string, i: number): number => s.charCodeAt(i) - ZERO;

/**
 * Reads values of a line whose syntax a layout regular expression has already matched. Each read
 * leaves `end` just past the value (after a string or decimal: past its closing quote).
 */
class LineReader {
  end = 0;

  constructor(readonly s: string) {}

  /** The JSON integer (≤ 15 digits, so exact) at `start` as a Quantity. */
  liquidity(start: number): Quantity {
    const s = this.s;
    let i = start;
    let acc = 0;
    for (let d = digit(s, i); d >>> 0 <= 9; d = digit(s, ++i)) acc = acc * 10 + d;
    this.end = i;
    return Quantity.fromRaw(BigInt(acc), 0);
  }

  /**
   * The quoted decimal `digits(.digits)?` whose first digit is at `start`, as a Price; undefined
   * when it has more decimals than MAX_PRECISION or is longer than the domain parser accepts.
   */
  price(start: number): Price | undefined {
    const s = this.s;
    let i = start;
    let acc = 0;
    let dot = -1;
    for (let c = s.charCodeAt(i); c !== Q; c = s.charCodeAt(++i)) {
      if (c === DOT) dot = i;
      else acc = acc * 10 + (c - ZERO);
    }
    const length = i - start;
    const precision = dot < 0 ? 0 : i - dot - 1;
    if (precision > MAX_PRECISION || length > MAX_DECIMAL_LENGTH) return undefined;
    const digits = dot < 0 ? length : length - 1;
    // Up to 15 digits `acc` is exact (10^15 < 2^53), and BigInt(number) is far cheaper than BigInt(text).
    const raw =
      digits <= 15
        ? BigInt(acc)
        : BigInt(dot < 0 ? s.slice(start, i) : s.slice(start, dot) + s.slice(dot + 1, i));
    this.end = i + 1;
    return Price.fromRaw(raw, precision);
  }

  /** A level list from its `[` at `start`. */
  levels(start: number, priceFirst: boolean): OandaPriceLevel[] | undefined {
    const s = this.s;
    const out: OandaPriceLevel[] = [];
    let i = start + 1;
    if (s.charCodeAt(i) === CLOSE_BRACKET) {
      this.end = i + 1;
      return out;
    }
    for (;;) {
      let price: Price | undefined;
      let quantity: Quantity;
      if (priceFirst) {
        price = this.price(i + priceAt);
        if (price === undefined) return undefined;
        quantity = this.liquidity(this.end + liquidityAfterPrice - 1);
        i = this.end + 1;
      } else {
        quantity = this.liquidity(i + liquidityAt);
        price = this.price(this.end + priceAfterLiquidity);
        if (price === undefined) return undefined;
        i = this.end + 1;
      }
      out.push({ price, quantity });
      if (s.charCodeAt(i) !== COMMA) break;
      i++;
    }
    this.end = i + 1;
    return out;
  }

  /**
   * The UTC time `YYYY-MM-DDTHH:MM:SS(.f{1,9})?Z` at `start` as epoch ms, the fraction truncated to
   * milliseconds as the validating parser does; undefined for a date or time of day that does not
   * exist (the validating parser then decides). `end` is left past the closing quote.
   */
  time(start: number): number | undefined {
    const ms = readUtcTime(this.s, start, this);
    if (ms !== undefined) this.end += 2;
    return ms;
  }
}

/** Matches `re` on the whole of `s` (the patterns end with `$`). */
function matches(re: RegExp, s: string): boolean {
  re.lastIndex = 0;
  return re.test(s);
}

/** A PRICE line already matched by `layout`, read field by field in its order. */
function readPrice(s: string, { fields, priceFirst }: Layout): OandaPricingLine | undefined {
  const r = new LineReader(s);
  let instrument = '';
  let time = 0;
  let tradeable: boolean | undefined;
  let status = '';
  let bids: OandaPriceLevel[] | undefined;
  let asks: OandaPriceLevel[] | undefined;
  let closeoutBid: Price | undefined;
  let closeoutAsk: Price | undefined;
  // `i` is at the field's key: past `{` or `,`.
  let i = 1;
  for (const f of fields) {
    const at = i + KEYS[f].length + 3;
    switch (f) {
      case F.Type:
        r.end = at + '"PRICE"'.length;
        break;
      case F.Instrument:
        r.end = s.indexOf('"', at + 1) + 1;
        instrument = s.slice(at + 1, r.end - 1);
        break;
      case F.Status:
        r.end = s.indexOf('"', at + 1) + 1;
        status = s.slice(at + 1, r.end - 1);
        break;
      case F.Time: {
        const t = r.time(at + 1);
        if (t === undefined) return undefined;
        time = t;
        break;
      }
      case F.Tradeable:
        tradeable = s.charCodeAt(at) === LOWER_T;
        r.end = at + (tradeable ? 4 : 5);
        break;
      case F.Bids:
        bids = r.levels(at, priceFirst);
        if (bids === undefined) return undefined;
        break;
      case F.Asks:
        asks = r.levels(at, priceFirst);
        if (asks === undefined) return undefined;
        break;
      case F.CloseoutBid:
        closeoutBid = r.price(at + 1);
        if (closeoutBid === undefined) return undefined;
        break;
      case F.CloseoutAsk:
        closeoutAsk = r.price(at + 1);
        if (closeoutAsk === undefined) return undefined;
        break;
    }
    i = r.end + 1;
  }
  // Every layout has each of these (the match guarantees it); the checks only narrow the types.
  if (bids === undefined || asks === undefined || closeoutBid === undefined || closeoutAsk === undefined) {
    return undefined;
  }
  return {
    type: 'PRICE',
    price: {
      instrument,
      time,
      // As the validating parser: `tradeable` when sent, else the deprecated `status`.
      tradeable: tradeable !== undefined ? tradeable : status === 'tradeable',
      bids,
      asks,
      closeoutBid,
      closeoutAsk,
    },
  };
}

function heartbeat(s: string): OandaPricingLine | undefined {
  const r = new LineReader(s);
  if (s.charCodeAt(2) === LOWER_L) {
    if (!matches(HEARTBEAT_RECORDED, s)) return undefined;
    const idEnd = s.indexOf('"', recordedIdAt);
    const time = r.time(idEnd + timeKey.length);
    if (time === undefined) return undefined;
    return { type: 'HEARTBEAT', time, lastTransactionId: s.slice(recordedIdAt, idEnd) };
  }
  if (matches(HEARTBEAT, s)) {
    const time = r.time(heartbeatTimeAt);
    return time === undefined ? undefined : { type: 'HEARTBEAT', time };
  }
  if (!matches(HEARTBEAT_DOCUMENTED, s)) return undefined;
  const idEnd = s.indexOf('"', documentedIdAt);
  const time = r.time(idEnd + timeKey.length);
  if (time === undefined) return undefined;
  return { type: 'HEARTBEAT', time, lastTransactionId: s.slice(documentedIdAt, idEnd) };
}

/** The line, or `undefined` when it is not in a layout this fast path knows (then use the validating parser). */
export function fastParsePricingLine(text: string): OandaPricingLine | undefined {
  // The first key's second letter tells the layouts apart before any match is tried.
  switch (text.charCodeAt(2)) {
    case LOWER_A:
      return matches(RECORDED_2017.re, text) ? readPrice(text, RECORDED_2017) : undefined;
    case LOWER_S:
      return matches(DOCS_EXAMPLE.re, text) ? readPrice(text, DOCS_EXAMPLE) : undefined;
    case LOWER_T:
      if (text.charCodeAt(9) === UPPER_H) return heartbeat(text);
      return matches(CURRENT.re, text) ? readPrice(text, CURRENT) : undefined;
    case LOWER_L:
      return heartbeat(text);
    default:
      return undefined;
  }
}
