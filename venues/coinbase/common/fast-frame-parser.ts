import { MAX_PRECISION, Price, Quantity } from '../../../domain/values/index.ts';
import type { CoinbaseMessage, L2Event, L2Update, MarketTrade, TradesEvent } from './market-data.ts';

/**
 * A single-pass parser for `l2_data` and `market_trades` frames in the exact byte layout the venue
 * sends (key order, no whitespace, no escapes). It reads decimals and times straight from the text
 * without building the intermediate JSON object. Anything it does not recognise returns `undefined`
 * and the caller falls back to the validating parser, which accepts other layouts and reports malformed
 * input; so this is an optimisation only, never a second definition of what is valid.
 */
const Q = 34; // "
const ZERO = 48;
const DOT = 46;

class Scan {
  i = 0;
  lastTime = '';
  lastMs = 0;
  constructor(readonly s: string) {}

  lit(text: string): boolean {
    if (!this.s.startsWith(text, this.i)) return false;
    this.i += text.length;
    return true;
  }

  /** The rest of a string whose opening quote was consumed; no escapes. */
  str(): string | undefined {
    const end = this.s.indexOf('"', this.i);
    if (end < 0) return undefined;
    const value = this.s.slice(this.i, end);
    if (value.includes('\\')) return undefined;
    this.i = end + 1;
    return value;
  }

  int(): number | undefined {
    const s = this.s;
    let i = this.i;
    const start = i;
    let acc = 0;
    for (; i < s.length; i++) {
      const d = s.charCodeAt(i) - ZERO;
      if (d >>> 0 > 9) break;
      acc = acc * 10 + d;
    }
    const digits = i - start;
    if (digits === 0 || digits > 15 || (digits > 1 && s.charCodeAt(start) === ZERO)) return undefined;
    this.i = i;
    return acc;
  }

  /** A quoted unsigned decimal `digits(.digits)?` (opening quote consumed), closing quote consumed. */
  dec(): { raw: bigint; precision: number } | undefined {
    const s = this.s;
    const start = this.i;
    let i = start;
    let acc = 0;
    let dot = -1;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      const d = c - ZERO;
      if (d >>> 0 <= 9) acc = acc * 10 + d;
      else if (c === DOT && dot < 0) dot = i;
      else break;
    }
    if (s.charCodeAt(i) !== Q) return undefined;
    const length = i - start;
    let digits = length;
    let precision = 0;
    if (dot >= 0) {
      precision = i - dot - 1;
      digits -= 1;
      if (dot === start || precision === 0) return undefined;
    }
    if (digits === 0 || precision > MAX_PRECISION || length > 100) return undefined;
    const raw =
      digits <= 15
        ? BigInt(acc)
        : BigInt(dot < 0 ? s.slice(start, i) : s.slice(start, dot) + s.slice(dot + 1, i));
    this.i = i + 1;
    return { raw, precision };
  }

  price(): Price | undefined {
    const d = this.dec();
    return d === undefined ? undefined : Price.fromRaw(d.raw, d.precision);
  }

  quantity(): Quantity | undefined {
    const d = this.dec();
    return d === undefined ? undefined : Quantity.fromRaw(d.raw, d.precision);
  }

  /** A quoted RFC 3339 UTC time `YYYY-MM-DDTHH:MM:SS(.f{1,9})?Z` (opening quote consumed) as epoch ms. */
  time(): number | undefined {
    const s = this.s;
    const end = s.indexOf('"', this.i);
    if (end < 0) return undefined;
    const text = s.slice(this.i, end);
    if (text !== this.lastTime) {
      const ms = rfc3339(text);
      if (ms === undefined) return undefined;
      this.lastTime = text;
      this.lastMs = ms;
    }
    this.i = end + 1;
    return this.lastMs;
  }
}

function digits(s: string, from: number, n: number): number {
  let acc = 0;
  for (let i = from; i < from + n; i++) {
    const d = s.charCodeAt(i) - ZERO;
    if (d >>> 0 > 9) return -1;
    acc = acc * 10 + d;
  }
  return acc;
}

// The minute part of the last time parsed (`YYYY-MM-DDTHH:MM:`) and its epoch ms: frames arrive in
// time order, so nearly every time shares it and only seconds and fraction are read.
let cachedMinute = '';
let cachedMinuteMs = 0;

function minuteMs(t: string): number | undefined {
  const key = t.slice(0, 17);
  if (key === cachedMinute) return cachedMinuteMs;
  if (t[4] !== '-' || t[7] !== '-' || t[10] !== 'T' || t[13] !== ':' || t[16] !== ':') return undefined;
  const year = digits(t, 0, 4);
  const month = digits(t, 5, 2);
  const day = digits(t, 8, 2);
  const hour = digits(t, 11, 2);
  const minute = digits(t, 14, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59) {
    return undefined;
  }
  if (day > daysInMonth(year, month)) return undefined;
  cachedMinute = key;
  cachedMinuteMs = (daysFromCivil(year, month, day) * 1440 + hour * 60 + minute) * 60_000;
  return cachedMinuteMs;
}

function rfc3339(t: string): number | undefined {
  if (t.length < 20 || t.charCodeAt(t.length - 1) !== 90 /* Z */) return undefined;
  const base = minuteMs(t);
  const second = digits(t, 17, 2);
  if (base === undefined || second < 0 || second > 59) return undefined;
  let ms = 0;
  if (t.length > 20) {
    const fraction = t.length - 21;
    if (t.charCodeAt(19) !== DOT || fraction < 1 || fraction > 9) return undefined;
    const f = digits(t, 20, Math.min(3, fraction));
    if (f < 0 || (fraction > 3 && digits(t, 23, fraction - 3) < 0)) return undefined;
    ms = fraction === 1 ? f * 100 : fraction === 2 ? f * 10 : f;
  }
  return base + second * 1000 + ms;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

const L2_PREFIX = '{"channel":"l2_data",';
const TRADES_PREFIX = '{"channel":"market_trades",';

function envelope(c: Scan, prefix: string): { timestamp: number; sequence: number } | undefined {
  if (!c.lit(prefix)) return undefined;
  c.lit('"client_id":"",');
  if (!c.lit('"timestamp":"')) return undefined;
  const timestamp = c.time();
  if (timestamp === undefined || !c.lit(',"sequence_num":')) return undefined;
  const sequence = c.int();
  if (sequence === undefined || !c.lit(',"events":[')) return undefined;
  return { timestamp, sequence };
}

function eventType(c: Scan): 'snapshot' | 'update' | undefined {
  if (c.lit('{"type":"update",')) return 'update';
  if (c.lit('{"type":"snapshot",')) return 'snapshot';
  return undefined;
}

function l2Event(c: Scan): L2Event | undefined {
  const type = eventType(c);
  if (type === undefined || !c.lit('"product_id":"')) return undefined;
  const productId = c.str();
  if (productId === undefined || !c.lit(',"updates":[')) return undefined;
  const updates: L2Update[] = [];
  if (!c.lit(']')) {
    do {
      let side: 'bid' | 'offer';
      if (c.lit('{"side":"bid","event_time":"')) side = 'bid';
      else if (c.lit('{"side":"offer","event_time":"')) side = 'offer';
      else return undefined;
      const eventTime = c.time();
      if (eventTime === undefined || !c.lit(',"price_level":"')) return undefined;
      const price = c.price();
      if (price === undefined || !c.lit(',"new_quantity":"')) return undefined;
      const quantity = c.quantity();
      if (quantity === undefined || !c.lit('}')) return undefined;
      updates.push({ side, price, quantity, eventTime });
    } while (c.lit(','));
    if (!c.lit(']')) return undefined;
  }
  return c.lit('}') ? { type, productId, updates } : undefined;
}

function tradesEvent(c: Scan): TradesEvent | undefined {
  const type = eventType(c);
  if (type === undefined || !c.lit('"trades":[')) return undefined;
  const trades: MarketTrade[] = [];
  if (!c.lit(']')) {
    do {
      if (!c.lit('{"product_id":"')) return undefined;
      const productId = c.str();
      if (productId === undefined || !c.lit(',"trade_id":"')) return undefined;
      const tradeId = c.str();
      if (tradeId === undefined || !c.lit(',"price":"')) return undefined;
      const price = c.price();
      if (price === undefined || !c.lit(',"size":"')) return undefined;
      const size = c.quantity();
      if (size === undefined || !c.lit(',"time":"')) return undefined;
      const time = c.time();
      if (time === undefined) return undefined;
      let side: 'BUY' | 'SELL';
      if (c.lit(',"side":"BUY"}')) side = 'BUY';
      else if (c.lit(',"side":"SELL"}')) side = 'SELL';
      else return undefined;
      trades.push({ tradeId, productId, price, size, side, time });
    } while (c.lit(','));
    if (!c.lit(']')) return undefined;
  }
  return c.lit('}') ? { type, trades } : undefined;
}

function list<T>(c: Scan, item: (c: Scan) => T | undefined): T[] | undefined {
  const out: T[] = [];
  do {
    const value = item(c);
    if (value === undefined) return undefined;
    out.push(value);
  } while (c.lit(','));
  return c.lit(']}') && c.i === c.s.length ? out : undefined;
}

/** The fast path of parseMessage for l2_data and market_trades; `undefined` means "use the validating parser". */
export function fastParseMessage(text: string): CoinbaseMessage | undefined {
  const c = new Scan(text);
  if (text.startsWith(L2_PREFIX)) {
    const env = envelope(c, L2_PREFIX);
    const events = env === undefined ? undefined : list(c, l2Event);
    return env === undefined || events === undefined
      ? undefined
      : { channel: 'l2_data', sequence: env.sequence, timestamp: env.timestamp, events };
  }
  if (text.startsWith(TRADES_PREFIX)) {
    const env = envelope(c, TRADES_PREFIX);
    const events = env === undefined ? undefined : list(c, tradesEvent);
    return env === undefined || events === undefined
      ? undefined
      : { channel: 'market_trades', sequence: env.sequence, timestamp: env.timestamp, events };
  }
  return undefined;
}
