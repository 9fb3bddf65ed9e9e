import { fastParseCombinedFrame } from './fast-frame-parser.ts';
import type {
  AggTrade,
  BookTicker,
  DepthDiff,
  DepthLevel,
  DepthSnapshot,
  MarketDataEvent,
  Trade,
} from './market-data.ts';
import { MalformedPayloadError } from './parse-error.ts';
import {
  asArray,
  asObject,
  bool,
  decimal,
  int,
  parseJson,
  parsePrice,
  parseQuantity,
  price,
  quantity,
  str,
} from './parse-fields.ts';
import type { WireObject } from './parse-fields.ts';

function levels(value: unknown, kind: string, field: string): DepthLevel[] {
  const rows = asArray(value, kind, field);
  const out: DepthLevel[] = new Array<DepthLevel>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (!Array.isArray(row) || row.length < 2) {
      throw new MalformedPayloadError(kind, `${field}[${i}]`, 'expected a [price, quantity] pair');
    }
    out[i] = {
      price: decimal(row[0], kind, `${field}[${i}][0]`, parsePrice),
      quantity: decimal(row[1], kind, `${field}[${i}][1]`, parseQuantity),
    };
  }
  return out;
}

/** A depth snapshot body (object already decoded). */
export function parseDepthSnapshot(value: unknown): DepthSnapshot {
  const o = asObject(value, 'depthSnapshot');
  return {
    lastUpdateId: int(o, 'lastUpdateId', 'depthSnapshot'),
    bids: levels(o['bids'], 'depthSnapshot', 'bids'),
    asks: levels(o['asks'], 'depthSnapshot', 'asks'),
  };
}

export function parseDepthDiff(value: unknown): DepthDiff {
  const k = 'depthUpdate';
  const o = asObject(value, k);
  expectEvent(o, k);
  const firstUpdateId = int(o, 'U', k);
  const finalUpdateId = int(o, 'u', k);
  if (finalUpdateId < firstUpdateId)
    throw new MalformedPayloadError(k, 'u', `u ${finalUpdateId} < U ${firstUpdateId}`);
  return {
    symbol: str(o, 's', k),
    eventTime: int(o, 'E', k),
    firstUpdateId,
    finalUpdateId,
    bids: levels(o['b'], k, 'b'),
    asks: levels(o['a'], k, 'a'),
  };
}

export function parseTrade(value: unknown): Trade {
  const k = 'trade';
  const o = asObject(value, k);
  expectEvent(o, k);
  return {
    symbol: str(o, 's', k),
    eventTime: int(o, 'E', k),
    tradeId: int(o, 't', k),
    price: price(o, 'p', k),
    quantity: quantity(o, 'q', k),
    tradeTime: int(o, 'T', k),
    buyerIsMaker: bool(o, 'm', k),
  };
}

export function parseAggTrade(value: unknown): AggTrade {
  const k = 'aggTrade';
  const o = asObject(value, k);
  expectEvent(o, k);
  return {
    symbol: str(o, 's', k),
    eventTime: int(o, 'E', k),
    aggTradeId: int(o, 'a', k),
    price: price(o, 'p', k),
    quantity: quantity(o, 'q', k),
    firstTradeId: int(o, 'f', k),
    lastTradeId: int(o, 'l', k),
    tradeTime: int(o, 'T', k),
    buyerIsMaker: bool(o, 'm', k),
  };
}

export function parseBookTicker(value: unknown): BookTicker {
  const k = 'bookTicker';
  const o = asObject(value, k);
  return {
    updateId: int(o, 'u', k),
    symbol: str(o, 's', k),
    bidPrice: price(o, 'b', k),
    bidQuantity: quantity(o, 'B', k),
    askPrice: price(o, 'a', k),
    askQuantity: quantity(o, 'A', k),
  };
}

function expectEvent(o: WireObject, kind: string): void {
  if (o['e'] !== kind)
    throw new MalformedPayloadError(kind, 'e', `expected "${kind}", got ${JSON.stringify(o['e'])}`);
}

/** The part of a stream name after the symbol: `btcusd@depth@100ms` → `depth@100ms`. */
export function streamType(stream: string): string {
  const at = stream.indexOf('@');
  return at < 0 ? '' : stream.slice(at + 1);
}

/**
 * A combined-stream frame (`{"stream","data"}`) → a typed market-data event, or `undefined` for a
 * stream type we do not normalise (e.g. klines). Bad JSON or shape → MalformedPayloadError.
 */
export function parseCombinedFrame(text: string): MarketDataEvent | undefined {
  const fast = fastParseCombinedFrame(text);
  if (fast !== undefined) return fast;
  const frame = asObject(parseJson(text, 'combinedFrame'), 'combinedFrame');
  const stream = str(frame, 'stream', 'combinedFrame');
  return parseStreamPayload(stream, frame['data']);
}

/** Dispatches a decoded payload by the stream name it arrived on. */
export function parseStreamPayload(stream: string, data: unknown): MarketDataEvent | undefined {
  const type = streamType(stream);
  if (type === 'trade') return { kind: 'trade', stream, event: parseTrade(data) };
  if (type === 'aggTrade') return { kind: 'aggTrade', stream, event: parseAggTrade(data) };
  if (type === 'bookTicker') return { kind: 'bookTicker', stream, event: parseBookTicker(data) };
  if (type === 'depth' || type.startsWith('depth@')) {
    return { kind: 'depthUpdate', stream, event: parseDepthDiff(data) };
  }
  return undefined;
}
