import { Price, Quantity } from '../../../domain/values/index.ts';
import type { CoinbaseMessage, L2Event, L2Update, MarketTrade, TradesEvent } from './market-data.ts';
import { FrameReader } from './frame-reader.ts';

/**
 * The fast path for `l2_data` and `market_trades` frames in the exact layout the venue sends (key
 * order, no whitespace, no escapes), reading decimals and times straight from the text without
 * building the intermediate JSON object. Anything it does not recognise returns `undefined` and the
 * caller falls back to the validating parser, which accepts other layouts and reports malformed input;
 * so this is an optimisation only, never a second definition of what is valid.
 *
 * Each piece of a frame (envelope, event head, level update, trade) is first matched whole by a
 * sticky regular expression: the regexp engine checks the keys, quotes and the syntax of every value
 * several times faster than a charCodeAt loop or `startsWith` does. Values are then read at offsets
 * the match guarantees; what the syntax cannot say (a real calendar date, precision, length) is
 * checked while reading.
 */

// Value syntax. Strings: no escapes and no control characters (JSON forbids them raw).
const STRING = String.raw`[^"\\\u0000-\u001f]*`;
const DECIMAL = String.raw`\d+(?:\.\d+)?`;
const TIME = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?Z`;
const INT = String.raw`(?:0|[1-9]\d{0,14})`;
const TYPE = '(?:update|snapshot)';

const sticky = (source: string): RegExp => new RegExp(source, 'y');

const l2Prefix = '{"channel":"l2_data",';
const tradesPrefix = '{"channel":"market_trades",';
const clientId = '"client_id":"",';
const timestampKey = '"timestamp":"';
const sequenceKey = '","sequence_num":';

const envelopeTail = String.raw`(?:"client_id":"",)?"timestamp":"${TIME}","sequence_num":${INT},"events":\[`;
const L2_ENVELOPE = sticky(String.raw`\{"channel":"l2_data",${envelopeTail}`);
const TRADES_ENVELOPE = sticky(String.raw`\{"channel":"market_trades",${envelopeTail}`);

const L2_EVENT_HEAD = sticky(String.raw`\{"type":"${TYPE}","product_id":"${STRING}","updates":\[`);
const typeAt = '{"type":"'.length;
const productKey = '","product_id":"';
const updatesKey = '","updates":[';

const L2_UPDATE = sticky(
  String.raw`\{"side":"(?:bid|offer)","event_time":"${TIME}","price_level":"${DECIMAL}","new_quantity":"${DECIMAL}"\}`,
);
const bidTimeAt = '{"side":"bid","event_time":"'.length;
const offerTimeAt = '{"side":"offer","event_time":"'.length;
const priceLevelKey = '","price_level":"';
const newQuantityKey = '","new_quantity":"';

const TRADES_EVENT_HEAD = sticky(String.raw`\{"type":"${TYPE}","trades":\[`);
const TRADE = sticky(
  String.raw`\{"product_id":"${STRING}","trade_id":"${STRING}","price":"${DECIMAL}","size":"${DECIMAL}","time":"${TIME}","side":"(?:BUY|SELL)"\}`,
);
const tradeProductAt = '{"product_id":"'.length;
const tradeIdKey = '","trade_id":"';
const priceKey = '","price":"';
const sizeKey = '","size":"';
const timeKey = '","time":"';
const sideKey = '","side":"';

const COMMA = 44;
const CLOSE_BRACKET = 93;
const CLOSE_BRACE = 125;
const LOWER_B = 98;
const LOWER_U = 117;
const UPPER_B = 66;

/** Matches `re` at `at`; the index after the match, or -1. */
function match(re: RegExp, s: string, at: number): number {
  re.lastIndex = at;
  return re.test(s) ? re.lastIndex : -1;
}

/** The event type at `at`: the match already restricted it to these two. */
function eventType(s: string, at: number): 'update' | 'snapshot' {
  return s.charCodeAt(at) === LOWER_U ? 'update' : 'snapshot';
}

function envelope(
  r: FrameReader,
  re: RegExp,
  prefix: string,
): { timestamp: number; sequence: number; next: number } | undefined {
  const s = r.s;
  const next = match(re, s, 0);
  if (next < 0) return undefined;
  let at = prefix.length;
  if (s.charCodeAt(at + 1) === 99 /* c of "client_id" */) at += clientId.length;
  const timestamp = r.time(at + timestampKey.length);
  if (timestamp === undefined) return undefined;
  const sequence = r.int(r.end + sequenceKey.length);
  return { timestamp, sequence, next };
}

/** The update at `at` (already matched by L2_UPDATE), or undefined when a value is out of range. */
function l2Update(r: FrameReader, at: number): L2Update | undefined {
  const s = r.s;
  const side = s.charCodeAt(at + 9) === LOWER_B ? 'bid' : 'offer';
  const eventTime = r.time(at + (side === 'bid' ? bidTimeAt : offerTimeAt));
  if (eventTime === undefined || !r.decimal(r.end + priceLevelKey.length)) return undefined;
  const price = Price.fromRaw(r.raw, r.precision);
  if (!r.decimal(r.end + newQuantityKey.length)) return undefined;
  return { side, price, quantity: Quantity.fromRaw(r.raw, r.precision), eventTime };
}

/** The `l2_data` events from `at` to the end of the frame. */
function l2Events(r: FrameReader, at: number): L2Event[] | undefined {
  const s = r.s;
  const events: L2Event[] = [];
  let i = at;
  for (;;) {
    const head = match(L2_EVENT_HEAD, s, i);
    if (head < 0) return undefined;
    const type = eventType(s, i + typeAt);
    const productAt = i + typeAt + type.length + productKey.length;
    const productId = s.slice(productAt, head - updatesKey.length);
    const updates: L2Update[] = [];
    i = head;
    if (s.charCodeAt(i) !== CLOSE_BRACKET) {
      for (;;) {
        const next = match(L2_UPDATE, s, i);
        if (next < 0) return undefined;
        const update = l2Update(r, i);
        if (update === undefined) return undefined;
        updates.push(update);
        i = next;
        if (s.charCodeAt(i) !== COMMA) break;
        i++;
      }
      if (s.charCodeAt(i) !== CLOSE_BRACKET) return undefined;
    }
    if (s.charCodeAt(i + 1) !== CLOSE_BRACE) return undefined;
    events.push({ type, productId, updates });
    i += 2;
    if (s.charCodeAt(i) !== COMMA) break;
    i++;
  }
  return isEnd(s, i) ? events : undefined;
}

/** The trade at `at` (already matched by TRADE), or undefined when a value is out of range. */
function trade(r: FrameReader, at: number): MarketTrade | undefined {
  const s = r.s;
  const productAt = at + tradeProductAt;
  const productEnd = s.indexOf('"', productAt);
  const tradeIdAt = productEnd + tradeIdKey.length;
  const tradeIdEnd = s.indexOf('"', tradeIdAt);
  if (!r.decimal(tradeIdEnd + priceKey.length)) return undefined;
  const price = Price.fromRaw(r.raw, r.precision);
  if (!r.decimal(r.end + sizeKey.length)) return undefined;
  const size = Quantity.fromRaw(r.raw, r.precision);
  const time = r.time(r.end + timeKey.length);
  if (time === undefined) return undefined;
  return {
    tradeId: s.slice(tradeIdAt, tradeIdEnd),
    productId: s.slice(productAt, productEnd),
    price,
    size,
    side: s.charCodeAt(r.end + sideKey.length) === UPPER_B ? 'BUY' : 'SELL',
    time,
  };
}

/** The `market_trades` events from `at` to the end of the frame. */
function tradesEvents(r: FrameReader, at: number): TradesEvent[] | undefined {
  const s = r.s;
  const events: TradesEvent[] = [];
  let i = at;
  for (;;) {
    const head = match(TRADES_EVENT_HEAD, s, i);
    if (head < 0) return undefined;
    const type = eventType(s, i + typeAt);
    const trades: MarketTrade[] = [];
    i = head;
    if (s.charCodeAt(i) !== CLOSE_BRACKET) {
      for (;;) {
        const next = match(TRADE, s, i);
        if (next < 0) return undefined;
        const t = trade(r, i);
        if (t === undefined) return undefined;
        trades.push(t);
        i = next;
        if (s.charCodeAt(i) !== COMMA) break;
        i++;
      }
      if (s.charCodeAt(i) !== CLOSE_BRACKET) return undefined;
    }
    if (s.charCodeAt(i + 1) !== CLOSE_BRACE) return undefined;
    events.push({ type, trades });
    i += 2;
    if (s.charCodeAt(i) !== COMMA) break;
    i++;
  }
  return isEnd(s, i) ? events : undefined;
}

/** `]}` closes the events list and the frame, and nothing follows. */
function isEnd(s: string, i: number): boolean {
  return i + 2 === s.length && s.charCodeAt(i) === CLOSE_BRACKET && s.charCodeAt(i + 1) === CLOSE_BRACE;
}

/** The fast path of parseMessage for l2_data and market_trades; `undefined` means "use the validating parser". */
export function fastParseMessage(text: string): CoinbaseMessage | undefined {
  // `{"channel":"` is 12 characters; the next one tells the two channels apart.
  const first = text.charCodeAt(12);
  if (first === 108 /* l */) {
    const r = new FrameReader(text);
    const env = envelope(r, L2_ENVELOPE, l2Prefix);
    const events = env === undefined ? undefined : l2Events(r, env.next);
    return env === undefined || events === undefined
      ? undefined
      : { channel: 'l2_data', sequence: env.sequence, timestamp: env.timestamp, events };
  }
  if (first === 109 /* m */) {
    const r = new FrameReader(text);
    const env = envelope(r, TRADES_ENVELOPE, tradesPrefix);
    const events = env === undefined ? undefined : tradesEvents(r, env.next);
    return env === undefined || events === undefined
      ? undefined
      : { channel: 'market_trades', sequence: env.sequence, timestamp: env.timestamp, events };
  }
  return undefined;
}
