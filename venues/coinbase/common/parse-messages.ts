import { CoinbaseOrderStatus, CoinbaseSide } from './enums.ts';
import { fastParseMessage } from './fast-frame-parser.ts';
import type {
  CoinbaseMessage,
  Heartbeat,
  L2Event,
  L2Update,
  MarketTrade,
  Subscriptions,
  Ticker,
  TickerEvent,
  TradesEvent,
} from './market-data.ts';
import { MalformedPayloadError } from './parse-error.ts';
import {
  asArray,
  asObject,
  decimal,
  int,
  oneOf,
  optPrice,
  optStr,
  parseJson,
  parsePrice,
  parseQuantity,
  price,
  quantity,
  signedDecimal,
  str,
  time,
} from './parse-fields.ts';
import type { WireObject } from './parse-fields.ts';
import type { UserEvent, UserOrder } from './user-data.ts';

function eventType(o: WireObject, kind: string): 'snapshot' | 'update' {
  const t = o['type'];
  if (t === 'snapshot' || t === 'update') return t;
  throw new MalformedPayloadError(kind, 'type', `expected snapshot or update, got ${JSON.stringify(t)}`);
}

function l2Event(value: unknown): L2Event {
  const kind = 'l2_data';
  const o = asObject(value, kind, 'events[]');
  const raw = asArray(o['updates'], kind, 'updates');
  const updates = new Array<L2Update>(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const u = asObject(raw[i], kind, 'updates[]');
    const side = u['side'];
    if (side !== 'bid' && side !== 'offer') {
      throw new MalformedPayloadError(kind, 'side', `expected bid or offer, got ${JSON.stringify(side)}`);
    }
    updates[i] = {
      side,
      price: decimal(u['price_level'], kind, 'price_level', parsePrice),
      quantity: decimal(u['new_quantity'], kind, 'new_quantity', parseQuantity),
      eventTime: time(u, 'event_time', kind),
    };
  }
  return { type: eventType(o, kind), productId: str(o, 'product_id', kind), updates };
}

function trade(value: unknown): MarketTrade {
  const kind = 'market_trades';
  const t = asObject(value, kind, 'trades[]');
  return {
    tradeId: str(t, 'trade_id', kind),
    productId: str(t, 'product_id', kind),
    price: price(t, 'price', kind),
    size: quantity(t, 'size', kind),
    side: oneOf(CoinbaseSide, t, 'side', kind),
    time: time(t, 'time', kind),
  };
}

function tradesEvent(value: unknown): TradesEvent {
  const o = asObject(value, 'market_trades', 'events[]');
  return {
    type: eventType(o, 'market_trades'),
    trades: asArray(o['trades'], 'market_trades', 'trades').map(trade),
  };
}

function optQuantity(o: WireObject, key: string, kind: string) {
  const v = o[key];
  return v === undefined || v === null || v === '' ? undefined : quantity(o, key, kind);
}

function ticker(value: unknown): Ticker {
  const kind = 'ticker';
  const t = asObject(value, kind, 'tickers[]');
  return {
    productId: str(t, 'product_id', kind),
    price: price(t, 'price', kind),
    bestBid: optPrice(t, 'best_bid', kind),
    bestAsk: optPrice(t, 'best_ask', kind),
    bestBidQuantity: optQuantity(t, 'best_bid_quantity', kind),
    bestAskQuantity: optQuantity(t, 'best_ask_quantity', kind),
  };
}

function tickerEvent(value: unknown): TickerEvent {
  const o = asObject(value, 'ticker', 'events[]');
  return { type: eventType(o, 'ticker'), tickers: asArray(o['tickers'], 'ticker', 'tickers').map(ticker) };
}

function heartbeat(value: unknown): Heartbeat {
  const o = asObject(value, 'heartbeats', 'events[]');
  return {
    counter: int(o, 'heartbeat_counter', 'heartbeats'),
    currentTime: str(o, 'current_time', 'heartbeats'),
  };
}

function subscriptions(value: unknown): Subscriptions {
  const o = asObject(
    asObject(value, 'subscriptions', 'events[]')['subscriptions'],
    'subscriptions',
    'subscriptions',
  );
  const out: Record<string, readonly string[]> = {};
  for (const [channel, ids] of Object.entries(o)) {
    out[channel] = asArray(ids, 'subscriptions', channel).map((id, i) => {
      if (typeof id !== 'string')
        throw new MalformedPayloadError('subscriptions', `${channel}[${i}]`, 'expected a string');
      return id;
    });
  }
  return out;
}

/** An order of the `user` channel (also used for REST order objects' common fields). */
export function parseUserOrder(value: unknown): UserOrder {
  const kind = 'user';
  const o = asObject(value, kind, 'orders[]');
  const avg = optPrice(o, 'avg_price', kind);
  return {
    orderId: str(o, 'order_id', kind),
    clientOrderId: str(o, 'client_order_id', kind),
    productId: str(o, 'product_id', kind),
    side: oneOf(CoinbaseSide, o, 'order_side', kind),
    orderType: str(o, 'order_type', kind),
    status: oneOf(CoinbaseOrderStatus, o, 'status', kind),
    timeInForce: optStr(o, 'time_in_force', kind),
    cumulativeQuantity: quantity(o, 'cumulative_quantity', kind),
    leavesQuantity: quantity(o, 'leaves_quantity', kind),
    averagePrice: avg,
    totalFees: signedDecimal(o, 'total_fees', kind),
    limitPrice: optPrice(o, 'limit_price', kind),
    stopPrice: optPrice(o, 'stop_price', kind),
    cancelReason: optStr(o, 'cancel_reason', kind) ?? '',
    rejectReason: optStr(o, 'reject_reason', kind) ?? '',
    creationTime: time(o, 'creation_time', kind),
  };
}

function userEvent(value: unknown): UserEvent {
  const o = asObject(value, 'user', 'events[]');
  return {
    type: eventType(o, 'user'),
    orders: asArray(o['orders'] ?? [], 'user', 'orders').map(parseUserOrder),
  };
}

function events<T>(o: WireObject, kind: string, parse: (v: unknown) => T): T[] {
  return asArray(o['events'], kind, 'events').map(parse);
}

/**
 * One WebSocket frame (bytes as text) → a typed message with exact decimals and epoch-ms times.
 * Channels the connector does not use come back as `other`; malformed frames throw MalformedPayloadError.
 */
export function parseMessage(text: string): CoinbaseMessage {
  return fastParseMessage(text) ?? parseValidated(text);
}

/** The validating parser: any JSON layout, every field checked. */
export function parseValidated(text: string): CoinbaseMessage {
  const o = asObject(parseJson(text, 'message'), 'message');
  const channel = o['channel'];
  if (channel === undefined && o['type'] === 'error') {
    return { channel: 'error', message: optStr(o, 'message', 'error') ?? '' };
  }
  if (typeof channel !== 'string') throw new MalformedPayloadError('message', 'channel', 'missing channel');
  const envelope = { sequence: int(o, 'sequence_num', channel), timestamp: time(o, 'timestamp', channel) };
  switch (channel) {
    case 'l2_data':
      return { channel, ...envelope, events: events(o, channel, l2Event) };
    case 'market_trades':
      return { channel, ...envelope, events: events(o, channel, tradesEvent) };
    case 'ticker':
    case 'ticker_batch':
      return { channel: 'ticker', ...envelope, events: events(o, channel, tickerEvent) };
    case 'heartbeats':
      return { channel, ...envelope, events: events(o, channel, heartbeat) };
    case 'subscriptions':
      return { channel, ...envelope, events: events(o, channel, subscriptions) };
    case 'user':
      return { channel, ...envelope, events: events(o, channel, userEvent) };
    default:
      // Counted for sequence continuity, otherwise unused (futures_balance_summary, candles, …).
      return { channel: 'other', name: channel, ...envelope };
  }
}
