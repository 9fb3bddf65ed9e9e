import { MAX_PRECISION, Price, Quantity } from '../../../domain/values/index.ts';
import type { OandaPriceLevel, OandaPricingLine } from './price-line.ts';

/**
 * A single-pass parser for pricing-stream lines as OANDA sends them (compact JSON, no escapes, keys in
 * any order): PRICE and HEARTBEAT. It reads decimals straight from the text into fixed-point values
 * without building the intermediate object. Anything unexpected (an unknown key, whitespace, an
 * escape, a malformed value) returns `undefined` and the caller falls back to the validating parser
 * (parse-price.ts), which is the one definition of what is valid; this is an optimisation only.
 */
const Q = 34; // "
const ZERO = 48;
const DOT = 46;
const COMMA = 44;
const CLOSE_BRACE = 125;

/** Interned values: Price and Quantity are immutable, so equal texts can share one instance. */
const INTERN_LIMIT = 4096;
const PRICES = new Map<string, Price>();
const LIQUIDITY = new Map<number, Quantity>();
const LEVELS = new Map<string, OandaPriceLevel>();

/**
 * Interning pays only while levels repeat. Every 512 lookups the hit rate is checked; below one half,
 * levels are parsed directly for the next 8192, then interning is tried again.
 */
const INTERN = {
  active: true,
  lookups: 0,
  hits: 0,
  paused: 0,
  hit(): void {
    this.hits++;
    this.check();
  },
  miss(): void {
    this.check();
  },
  check(): void {
    if (++this.lookups < 512) return;
    if (this.hits * 2 < this.lookups) {
      this.active = false;
      this.paused = 0;
    }
    this.lookups = 0;
    this.hits = 0;
  },
  /** Counts a level parsed while paused; resumes interning after 8192. */
  skipped(): void {
    if (++this.paused >= 8192) this.active = true;
  },
};

/** `digits(.digits)?` without sign, exponent or superfluous leading zero, as a Price. */
function decimalPrice(text: string): Price | undefined {
  let acc = 0;
  let dot = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const d = c - ZERO;
    if (d >>> 0 <= 9) acc = acc * 10 + d;
    else if (c === DOT && dot < 0) dot = i;
    else return undefined;
  }
  const precision = dot < 0 ? 0 : text.length - dot - 1;
  const digits = dot < 0 ? text.length : text.length - 1;
  if (dot === 0 || (dot > 0 && precision === 0) || digits === 0 || digits > 15 || precision > MAX_PRECISION) {
    return undefined;
  }
  if (text.charCodeAt(0) === ZERO && digits > 1 && dot !== 1) return undefined;
  return Price.fromRaw(BigInt(acc), precision);
}

class Scan {
  i = 0;
  constructor(readonly s: string) {}

  lit(text: string): boolean {
    if (!this.s.startsWith(text, this.i)) return false;
    this.i += text.length;
    return true;
  }

  /** A key `"name":`, the cursor after the colon. */
  key(): string | undefined {
    if (this.s.charCodeAt(this.i) !== Q) return undefined;
    const end = this.s.indexOf('"', this.i + 1);
    if (end < 0 || this.s.charCodeAt(end + 1) !== 58) return undefined;
    const k = this.s.slice(this.i + 1, end);
    this.i = end + 2;
    return k;
  }

  str(): string | undefined {
    if (this.s.charCodeAt(this.i) !== Q) return undefined;
    const end = this.s.indexOf('"', this.i + 1);
    if (end < 0) return undefined;
    const value = this.s.slice(this.i + 1, end);
    if (value.includes('\\')) return undefined;
    this.i = end + 1;
    return value;
  }

  bool(): boolean | undefined {
    if (this.lit('true')) return true;
    if (this.lit('false')) return false;
    return undefined;
  }

  /** A non-negative JSON integer up to 15 digits. */
  uint(): number | undefined {
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

  /** A quoted unsigned decimal as a Price (values repeat on a stream, so they are interned). */
  price(): Price | undefined {
    const s = this.s;
    if (s.charCodeAt(this.i) !== Q) return undefined;
    const start = this.i + 1;
    const end = s.indexOf('"', start);
    if (end < 0 || end - start > 24) return undefined;
    const text = s.slice(start, end);
    if (!INTERN.active) {
      const direct = decimalPrice(text);
      if (direct !== undefined) this.i = end + 1;
      return direct;
    }
    let p = PRICES.get(text);
    if (p === undefined) {
      p = decimalPrice(text);
      if (p === undefined) return undefined;
      if (PRICES.size >= INTERN_LIMIT) PRICES.clear();
      PRICES.set(text, p);
    }
    this.i = end + 1;
    return p;
  }

  /** A liquidity integer as a Quantity (interned like prices). */
  liquidity(): Quantity | undefined {
    const n = this.uint();
    if (n === undefined) return undefined;
    if (!INTERN.active) return Quantity.fromRaw(BigInt(n), 0);
    let q = LIQUIDITY.get(n);
    if (q === undefined) {
      q = Quantity.fromRaw(BigInt(n), 0);
      if (LIQUIDITY.size >= INTERN_LIMIT) LIQUIDITY.clear();
      LIQUIDITY.set(n, q);
    }
    return q;
  }

  levels(): OandaPriceLevel[] | undefined {
    const out: OandaPriceLevel[] = [];
    if (!this.lit('[')) return undefined;
    if (this.lit(']')) return out;
    do {
      const level = INTERN.active ? this.internedLevel() : this.directLevel();
      if (level === undefined) return undefined;
      out.push(level);
    } while (this.lit(','));
    return this.lit(']') ? out : undefined;
  }

  /** A level's text (`{"price":"1.05522","liquidity":10000000}`) repeats across lines: intern it whole. */
  internedLevel(): OandaPriceLevel | undefined {
    const end = this.s.indexOf('}', this.i);
    if (end < 0) return undefined;
    const text = this.s.slice(this.i, end + 1);
    let level = LEVELS.get(text);
    if (level !== undefined) {
      this.i = end + 1;
      INTERN.hit();
      return level;
    }
    level = this.level();
    if (level === undefined || this.i !== end + 1) return undefined;
    if (LEVELS.size >= INTERN_LIMIT) LEVELS.clear();
    LEVELS.set(text, level);
    INTERN.miss();
    return level;
  }

  directLevel(): OandaPriceLevel | undefined {
    INTERN.skipped();
    return this.level();
  }

  level(): OandaPriceLevel | undefined {
    if (!this.lit('{')) return undefined;
    let p: Price | undefined;
    let q: Quantity | undefined;
    do {
      if (this.lit('"price":')) p = this.price();
      else if (this.lit('"liquidity":')) q = this.liquidity();
      else return undefined;
      if (p === undefined && q === undefined) return undefined;
    } while (this.lit(','));
    if (p === undefined || q === undefined || !this.lit('}')) return undefined;
    return { price: p, quantity: q };
  }
}

/** `2017-03-09T13:37:46.048197280Z` → epoch ms, for exactly this layout (nine fractional digits). */
function fastTime(t: string): number | undefined {
  if (t.length !== 30 || t.charCodeAt(29) !== 90 || t.charCodeAt(19) !== DOT) return undefined;
  const n = (from: number, to: number): number => {
    let acc = 0;
    for (let i = from; i < to; i++) {
      const d = t.charCodeAt(i) - ZERO;
      if (d >>> 0 > 9) return NaN;
      acc = acc * 10 + d;
    }
    return acc;
  };
  const ms = Date.UTC(n(0, 4), n(5, 7) - 1, n(8, 10), n(11, 13), n(14, 16), n(17, 19), n(20, 23));
  return Number.isFinite(ms) ? ms : undefined;
}

/** The line, or `undefined` when it is not in the layout this fast path knows (then use the validating parser). */
export function fastParsePricingLine(text: string): OandaPricingLine | undefined {
  const s = new Scan(text);
  if (!s.lit('{')) return undefined;
  let type: string | undefined;
  let instrument: string | undefined;
  let time: number | undefined;
  let tradeable: boolean | undefined;
  let status: string | undefined;
  let bids: OandaPriceLevel[] | undefined;
  let asks: OandaPriceLevel[] | undefined;
  let closeoutBid: Price | undefined;
  let closeoutAsk: Price | undefined;
  let lastTransactionId: string | undefined;
  for (;;) {
    const k = s.key();
    switch (k) {
      case 'type':
        type = s.str();
        if (type === undefined) return undefined;
        break;
      case 'instrument':
        instrument = s.str();
        if (instrument === undefined || instrument.length === 0) return undefined;
        break;
      case 'time': {
        const t = s.str();
        time = t === undefined ? undefined : fastTime(t);
        if (time === undefined) return undefined;
        break;
      }
      case 'tradeable':
        tradeable = s.bool();
        if (tradeable === undefined) return undefined;
        break;
      case 'status':
        status = s.str();
        if (status === undefined) return undefined;
        break;
      case 'bids':
        bids = s.levels();
        if (bids === undefined) return undefined;
        break;
      case 'asks':
        asks = s.levels();
        if (asks === undefined) return undefined;
        break;
      case 'closeoutBid':
        closeoutBid = s.price();
        if (closeoutBid === undefined) return undefined;
        break;
      case 'closeoutAsk':
        closeoutAsk = s.price();
        if (closeoutAsk === undefined) return undefined;
        break;
      case 'lastTransactionID':
        lastTransactionId = s.str();
        if (lastTransactionId === undefined || !/^[0-9]{1,20}$/.test(lastTransactionId)) return undefined;
        break;
      default:
        return undefined;
    }
    const c = text.charCodeAt(s.i);
    s.i++;
    if (c === COMMA) continue;
    if (c !== CLOSE_BRACE || s.i !== text.length) return undefined;
    break;
  }
  if (time === undefined) return undefined;
  if (type === 'HEARTBEAT') {
    if (instrument !== undefined || bids !== undefined) return undefined;
    return lastTransactionId === undefined
      ? { type: 'HEARTBEAT', time }
      : { type: 'HEARTBEAT', time, lastTransactionId };
  }
  if (type !== 'PRICE' || lastTransactionId !== undefined) return undefined;
  const isTradeable = tradeable ?? (status === undefined ? undefined : status === 'tradeable');
  if (
    instrument === undefined ||
    isTradeable === undefined ||
    bids === undefined ||
    asks === undefined ||
    closeoutBid === undefined ||
    closeoutAsk === undefined
  ) {
    return undefined;
  }
  return {
    type: 'PRICE',
    price: { instrument, time, tradeable: isTradeable, bids, asks, closeoutBid, closeoutAsk },
  };
}
