import { MAX_PRECISION, Price, Quantity } from '../../../domain/values/index.ts';
import type { AggTrade, BookTicker, DepthDiff, DepthLevel, MarketDataEvent, Trade } from './market-data.ts';

/**
 * A single-pass parser for combined-stream frames in the exact byte layout Binance.US sends
 * (key order, no whitespace, no escapes): `{"stream":"…","data":{…}}` for depthUpdate, aggTrade,
 * trade and bookTicker. It reads numbers and decimals straight from the text, without building the
 * intermediate JSON object. Anything it does not recognise returns `undefined`, and the caller falls
 * back to the validating parser, which accepts other layouts and reports malformed input; so this is
 * an optimisation only, never a second definition of what is valid.
 */
const Q = 34; // "
const ZERO = 48;
const MINUS = 45;
const DOT = 46;

class Scan {
  i = 0;
  constructor(readonly s: string) {}

  lit(text: string): boolean {
    if (!this.s.startsWith(text, this.i)) return false;
    this.i += text.length;
    return true;
  }

  /** A string without escapes, the cursor after its closing quote (which `lit` consumed the opening of). */
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
    let negative = false;
    if (s.charCodeAt(i) === MINUS) {
      negative = true;
      i++;
    }
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
    return negative ? -acc : acc;
  }

  bool(): boolean | undefined {
    if (this.lit('true')) return true;
    if (this.lit('false')) return false;
    return undefined;
  }

  /** A quoted unsigned decimal `digits(.digits)?` as raw + precision; the opening quote already consumed. */
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

  levels(): DepthLevel[] | undefined {
    const out: DepthLevel[] = [];
    if (!this.lit('[')) return undefined;
    if (this.lit(']')) return out;
    do {
      if (!this.lit('["')) return undefined;
      const price = this.price();
      if (price === undefined || !this.lit(',"')) return undefined;
      const quantity = this.quantity();
      if (quantity === undefined || !this.lit(']')) return undefined;
      out.push({ price, quantity });
    } while (this.lit(','));
    return this.lit(']') ? out : undefined;
  }

  end(): boolean {
    return this.lit('}}') && this.i === this.s.length;
  }
}

function depth(c: Scan): DepthDiff | undefined {
  if (!c.lit('{"e":"depthUpdate","E":')) return undefined;
  const eventTime = c.int();
  if (eventTime === undefined || !c.lit(',"s":"')) return undefined;
  const symbol = c.str();
  if (symbol === undefined || !c.lit(',"U":')) return undefined;
  const firstUpdateId = c.int();
  if (firstUpdateId === undefined || !c.lit(',"u":')) return undefined;
  const finalUpdateId = c.int();
  if (finalUpdateId === undefined || finalUpdateId < firstUpdateId || !c.lit(',"b":')) return undefined;
  const bids = c.levels();
  if (bids === undefined || !c.lit(',"a":')) return undefined;
  const asks = c.levels();
  if (asks === undefined || !c.end()) return undefined;
  return { symbol, eventTime, firstUpdateId, finalUpdateId, bids, asks };
}

function aggTrade(c: Scan): AggTrade | undefined {
  if (!c.lit('{"e":"aggTrade","E":')) return undefined;
  const eventTime = c.int();
  if (eventTime === undefined || !c.lit(',"s":"')) return undefined;
  const symbol = c.str();
  if (symbol === undefined || !c.lit(',"a":')) return undefined;
  const aggTradeId = c.int();
  if (aggTradeId === undefined || !c.lit(',"p":"')) return undefined;
  const price = c.price();
  if (price === undefined || !c.lit(',"q":"')) return undefined;
  const quantity = c.quantity();
  if (quantity === undefined || !c.lit(',"f":')) return undefined;
  const firstTradeId = c.int();
  if (firstTradeId === undefined || !c.lit(',"l":')) return undefined;
  const lastTradeId = c.int();
  if (lastTradeId === undefined || !c.lit(',"T":')) return undefined;
  const tradeTime = c.int();
  if (tradeTime === undefined || !c.lit(',"m":')) return undefined;
  const buyerIsMaker = c.bool();
  if (buyerIsMaker === undefined || !c.lit(',"M":') || c.bool() === undefined || !c.end()) return undefined;
  return {
    symbol,
    eventTime,
    aggTradeId,
    price,
    quantity,
    firstTradeId,
    lastTradeId,
    tradeTime,
    buyerIsMaker,
  };
}

function trade(c: Scan): Trade | undefined {
  if (!c.lit('{"e":"trade","E":')) return undefined;
  const eventTime = c.int();
  if (eventTime === undefined || !c.lit(',"s":"')) return undefined;
  const symbol = c.str();
  if (symbol === undefined || !c.lit(',"t":')) return undefined;
  const tradeId = c.int();
  if (tradeId === undefined || !c.lit(',"p":"')) return undefined;
  const price = c.price();
  if (price === undefined || !c.lit(',"q":"')) return undefined;
  const quantity = c.quantity();
  if (quantity === undefined) return undefined;
  // Binance.US still sends buyer and seller order ids; global Binance dropped them.
  if (c.lit(',"b":')) {
    if (c.int() === undefined || !c.lit(',"a":') || c.int() === undefined) return undefined;
  }
  if (!c.lit(',"T":')) return undefined;
  const tradeTime = c.int();
  if (tradeTime === undefined || !c.lit(',"m":')) return undefined;
  const buyerIsMaker = c.bool();
  if (buyerIsMaker === undefined || !c.lit(',"M":') || c.bool() === undefined || !c.end()) return undefined;
  return { symbol, eventTime, tradeId, price, quantity, tradeTime, buyerIsMaker };
}

function bookTicker(c: Scan): BookTicker | undefined {
  if (!c.lit('{"u":')) return undefined;
  const updateId = c.int();
  if (updateId === undefined || !c.lit(',"s":"')) return undefined;
  const symbol = c.str();
  if (symbol === undefined || !c.lit(',"b":"')) return undefined;
  const bidPrice = c.price();
  if (bidPrice === undefined || !c.lit(',"B":"')) return undefined;
  const bidQuantity = c.quantity();
  if (bidQuantity === undefined || !c.lit(',"a":"')) return undefined;
  const askPrice = c.price();
  if (askPrice === undefined || !c.lit(',"A":"')) return undefined;
  const askQuantity = c.quantity();
  if (askQuantity === undefined || !c.end()) return undefined;
  return { updateId, symbol, bidPrice, bidQuantity, askPrice, askQuantity };
}

/** The fast path of parseCombinedFrame; `undefined` means "use the validating parser". */
export function fastParseCombinedFrame(text: string): MarketDataEvent | undefined {
  const c = new Scan(text);
  if (!c.lit('{"stream":"')) return undefined;
  const stream = c.str();
  if (stream === undefined || !c.lit(',"data":')) return undefined;
  const at = stream.indexOf('@');
  const type = at < 0 ? '' : stream.slice(at + 1);
  if (type === 'depth@100ms' || type === 'depth') {
    const event = depth(c);
    return event === undefined ? undefined : { kind: 'depthUpdate', stream, event };
  }
  if (type === 'aggTrade') {
    const event = aggTrade(c);
    return event === undefined ? undefined : { kind: 'aggTrade', stream, event };
  }
  if (type === 'trade') {
    const event = trade(c);
    return event === undefined ? undefined : { kind: 'trade', stream, event };
  }
  if (type === 'bookTicker') {
    const event = bookTicker(c);
    return event === undefined ? undefined : { kind: 'bookTicker', stream, event };
  }
  return undefined;
}
