// Venue data as it travels in actor messages: JSON-safe (decimals as their exact text, never
// numbers), so the same message works between local actors and across nodes (jsonMessageCodec).
// `to*` builds the wire form from domain values; `from*` validates it back, throwing
// InvalidArgumentError naming the first bad field.
import { InvalidArgumentError } from '../../domain/errors.ts';
import {
  parseAccountId,
  parseClientOrderId,
  parseInstrumentId,
  parseLiquiditySide,
  parseOrderId,
  parseOrderSide,
  parseOrderStatus,
  parseOrderType,
  parseTimeInForce,
  parseTradeId,
  parseVenueOrderId,
} from '../../domain/index.ts';
import type { OrderRequest } from '../../domain/index.ts';
import { Money, Price, Quantity } from '../../domain/values/index.ts';
import type {
  BookDelta,
  BookLevel,
  BookSnapshot,
  MarketDataEvent,
  PlacementResult,
  VenueBalance,
  VenueExecutionEvent,
  VenueFill,
  VenueOrderRef,
  VenueOrderSnapshot,
} from '../../venues/venue-connector.ts';

export interface OrderRequestWire {
  readonly id: string;
  readonly clientOrderId: string;
  readonly accountId: string;
  readonly instrumentId: string;
  readonly side: string;
  readonly type: string;
  readonly timeInForce: string;
  readonly quantity: string;
  readonly price?: string;
  readonly stopPrice?: string;
  readonly expireAt?: number;
  readonly postOnly?: boolean;
  readonly reduceOnly?: boolean;
  readonly createdAt: number;
}

export interface OrderRefWire {
  readonly instrumentId: string;
  readonly clientOrderId: string;
  readonly venueOrderId?: string;
}

export interface OrderSnapshotWire {
  readonly instrumentId: string;
  readonly clientOrderId: string;
  readonly venueOrderId: string;
  readonly side: string;
  readonly type: string;
  readonly status: string;
  readonly quantity: string;
  readonly filledQuantity: string;
  readonly price?: string;
  readonly stopPrice?: string;
  readonly updatedAt: number;
}

export interface MoneyWire {
  readonly amount: string;
  readonly currency: string;
}

export interface FillWire {
  readonly instrumentId: string;
  readonly clientOrderId: string;
  readonly venueOrderId: string;
  readonly tradeId: string;
  readonly side: string;
  readonly price: string;
  readonly quantity: string;
  readonly fee: MoneyWire;
  readonly liquidity: string;
  readonly timestamp: number;
}

export type PlacementWire =
  | { readonly kind: 'accepted'; readonly order: OrderSnapshotWire; readonly fills: readonly FillWire[] }
  | { readonly kind: 'rejected'; readonly clientOrderId: string; readonly reason: string };

export interface BalanceWire {
  readonly asset: string;
  readonly total: MoneyWire;
  readonly available: MoneyWire;
  readonly locked: MoneyWire;
}

/** `[price, quantity]`. */
export type LevelWire = readonly [string, string];

export interface BookWire {
  readonly instrumentId: string;
  readonly sequence: number;
  readonly bids: readonly LevelWire[];
  readonly asks: readonly LevelWire[];
  readonly timestamp: number;
}

export type ExecutionEventWire =
  | { readonly kind: 'order'; readonly order: OrderSnapshotWire; readonly reason?: string }
  | { readonly kind: 'fill'; readonly fill: FillWire }
  | { readonly kind: 'reconnected'; readonly at: number };

export type MarketDataWire =
  | { readonly kind: 'snapshot'; readonly book: BookWire }
  | { readonly kind: 'delta'; readonly delta: BookWire }
  | {
      readonly kind: 'trade';
      readonly instrumentId: string;
      readonly tradeId: string;
      readonly price: string;
      readonly quantity: string;
      readonly aggressorSide: string;
      readonly timestamp: number;
    }
  | { readonly kind: 'stale'; readonly instrumentId: string; readonly reason: string };

// ---- domain → wire ----

export function toOrderRequestWire(r: OrderRequest): OrderRequestWire {
  return {
    id: r.id,
    clientOrderId: r.clientOrderId,
    accountId: r.accountId,
    instrumentId: r.instrumentId,
    side: r.side,
    type: r.type,
    timeInForce: r.timeInForce,
    quantity: r.quantity.toString(),
    ...(r.price === undefined ? {} : { price: r.price.toString() }),
    ...(r.stopPrice === undefined ? {} : { stopPrice: r.stopPrice.toString() }),
    ...(r.expireAt === undefined ? {} : { expireAt: r.expireAt }),
    ...(r.postOnly === undefined ? {} : { postOnly: r.postOnly }),
    ...(r.reduceOnly === undefined ? {} : { reduceOnly: r.reduceOnly }),
    createdAt: r.createdAt,
  };
}

export function toOrderRefWire(ref: VenueOrderRef): OrderRefWire {
  return {
    instrumentId: ref.instrumentId,
    clientOrderId: ref.clientOrderId,
    ...(ref.venueOrderId === undefined ? {} : { venueOrderId: ref.venueOrderId }),
  };
}

export function toOrderSnapshotWire(o: VenueOrderSnapshot): OrderSnapshotWire {
  return {
    instrumentId: o.instrumentId,
    clientOrderId: o.clientOrderId,
    venueOrderId: o.venueOrderId,
    side: o.side,
    type: o.type,
    status: o.status,
    quantity: o.quantity.toString(),
    filledQuantity: o.filledQuantity.toString(),
    ...(o.price === undefined ? {} : { price: o.price.toString() }),
    ...(o.stopPrice === undefined ? {} : { stopPrice: o.stopPrice.toString() }),
    updatedAt: o.updatedAt,
  };
}

function toMoneyWire(m: Money): MoneyWire {
  return { amount: m.toString(), currency: m.currency };
}

export function toFillWire(f: VenueFill): FillWire {
  return {
    instrumentId: f.instrumentId,
    clientOrderId: f.clientOrderId,
    venueOrderId: f.venueOrderId,
    tradeId: f.tradeId,
    side: f.side,
    price: f.price.toString(),
    quantity: f.quantity.toString(),
    fee: toMoneyWire(f.fee),
    liquidity: f.liquidity,
    timestamp: f.timestamp,
  };
}

export function toPlacementWire(p: PlacementResult): PlacementWire {
  return p.kind === 'accepted'
    ? { kind: 'accepted', order: toOrderSnapshotWire(p.order), fills: p.fills.map(toFillWire) }
    : { kind: 'rejected', clientOrderId: p.clientOrderId, reason: p.reason };
}

export function toBalanceWire(b: VenueBalance): BalanceWire {
  return {
    asset: b.asset,
    total: toMoneyWire(b.total),
    available: toMoneyWire(b.available),
    locked: toMoneyWire(b.locked),
  };
}

const levelWire = (l: BookLevel): LevelWire => [l.price.toString(), l.quantity.toString()];

export function toBookWire(b: BookSnapshot | BookDelta): BookWire {
  return {
    instrumentId: b.instrumentId,
    sequence: b.sequence,
    bids: b.bids.map(levelWire),
    asks: b.asks.map(levelWire),
    timestamp: b.timestamp,
  };
}

export function toExecutionEventWire(e: VenueExecutionEvent): ExecutionEventWire {
  switch (e.kind) {
    case 'order':
      return e.reason === undefined
        ? { kind: 'order', order: toOrderSnapshotWire(e.order) }
        : { kind: 'order', order: toOrderSnapshotWire(e.order), reason: e.reason };
    case 'fill':
      return { kind: 'fill', fill: toFillWire(e.fill) };
    case 'reconnected':
      return e;
  }
}

export function toMarketDataWire(e: MarketDataEvent): MarketDataWire {
  switch (e.kind) {
    case 'snapshot':
      return { kind: 'snapshot', book: toBookWire(e.book) };
    case 'delta':
      return { kind: 'delta', delta: toBookWire(e.delta) };
    case 'trade':
      return {
        kind: 'trade',
        instrumentId: e.trade.instrumentId,
        tradeId: e.trade.tradeId,
        price: e.trade.price.toString(),
        quantity: e.trade.quantity.toString(),
        aggressorSide: e.trade.aggressorSide,
        timestamp: e.trade.timestamp,
      };
    case 'stale':
      return { kind: 'stale', instrumentId: e.instrumentId, reason: e.reason };
  }
}

// ---- wire → domain (validating: what arrives may come from another node) ----

function record(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError(field, 'must be an object');
  }
  return value as Record<string, unknown>;
}

function text(o: Record<string, unknown>, key: string, field: string): string {
  const value = o[key];
  if (typeof value !== 'string') throw new InvalidArgumentError(`${field}.${key}`, 'must be a string');
  return value;
}

function integer(o: Record<string, unknown>, key: string, field: string): number {
  const value = o[key];
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new InvalidArgumentError(`${field}.${key}`, 'must be an integer');
  }
  return value;
}

function optionalFlag(o: Record<string, unknown>, key: string, field: string): boolean | undefined {
  const value = o[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new InvalidArgumentError(`${field}.${key}`, 'must be a boolean');
  return value;
}

export function fromOrderRequestWire(value: unknown, field = 'request'): OrderRequest {
  const o = record(value, field);
  const price = o['price'] === undefined ? undefined : Price.parse(text(o, 'price', field), `${field}.price`);
  const stop =
    o['stopPrice'] === undefined ? undefined : Price.parse(text(o, 'stopPrice', field), `${field}.stopPrice`);
  const postOnly = optionalFlag(o, 'postOnly', field);
  const reduceOnly = optionalFlag(o, 'reduceOnly', field);
  return {
    id: parseOrderId(o['id'], `${field}.id`),
    clientOrderId: parseClientOrderId(o['clientOrderId'], `${field}.clientOrderId`),
    accountId: parseAccountId(o['accountId'], `${field}.accountId`),
    instrumentId: parseInstrumentId(o['instrumentId'], `${field}.instrumentId`),
    side: parseOrderSide(o['side'], `${field}.side`),
    type: parseOrderType(o['type'], `${field}.type`),
    timeInForce: parseTimeInForce(o['timeInForce'], `${field}.timeInForce`),
    quantity: Quantity.parse(text(o, 'quantity', field), `${field}.quantity`),
    ...(price === undefined ? {} : { price }),
    ...(stop === undefined ? {} : { stopPrice: stop }),
    ...(o['expireAt'] === undefined ? {} : { expireAt: integer(o, 'expireAt', field) }),
    ...(postOnly === undefined ? {} : { postOnly }),
    ...(reduceOnly === undefined ? {} : { reduceOnly }),
    createdAt: integer(o, 'createdAt', field),
  };
}

export function fromOrderRefWire(value: unknown, field = 'ref'): VenueOrderRef {
  const o = record(value, field);
  return {
    instrumentId: parseInstrumentId(o['instrumentId'], `${field}.instrumentId`),
    clientOrderId: parseClientOrderId(o['clientOrderId'], `${field}.clientOrderId`),
    ...(o['venueOrderId'] === undefined
      ? {}
      : { venueOrderId: parseVenueOrderId(o['venueOrderId'], `${field}.venueOrderId`) }),
  };
}

export function fromOrderSnapshotWire(value: unknown, field = 'order'): VenueOrderSnapshot {
  const o = record(value, field);
  return {
    instrumentId: parseInstrumentId(o['instrumentId'], `${field}.instrumentId`),
    clientOrderId: parseClientOrderId(o['clientOrderId'], `${field}.clientOrderId`),
    venueOrderId: parseVenueOrderId(o['venueOrderId'], `${field}.venueOrderId`),
    side: parseOrderSide(o['side'], `${field}.side`),
    type: parseOrderType(o['type'], `${field}.type`),
    status: parseOrderStatus(o['status'], `${field}.status`),
    quantity: Quantity.parse(text(o, 'quantity', field), `${field}.quantity`),
    filledQuantity: Quantity.parse(text(o, 'filledQuantity', field), `${field}.filledQuantity`),
    ...(o['price'] === undefined ? {} : { price: Price.parse(text(o, 'price', field), `${field}.price`) }),
    ...(o['stopPrice'] === undefined
      ? {}
      : { stopPrice: Price.parse(text(o, 'stopPrice', field), `${field}.stopPrice`) }),
    updatedAt: integer(o, 'updatedAt', field),
  };
}

function fromMoneyWire(value: unknown, field: string): Money {
  const o = record(value, field);
  return Money.parse(text(o, 'amount', field), text(o, 'currency', field), `${field}.amount`);
}

export function fromFillWire(value: unknown, field = 'fill'): VenueFill {
  const o = record(value, field);
  return {
    instrumentId: parseInstrumentId(o['instrumentId'], `${field}.instrumentId`),
    clientOrderId: parseClientOrderId(o['clientOrderId'], `${field}.clientOrderId`),
    venueOrderId: parseVenueOrderId(o['venueOrderId'], `${field}.venueOrderId`),
    tradeId: parseTradeId(o['tradeId'], `${field}.tradeId`),
    side: parseOrderSide(o['side'], `${field}.side`),
    price: Price.parse(text(o, 'price', field), `${field}.price`),
    quantity: Quantity.parse(text(o, 'quantity', field), `${field}.quantity`),
    fee: fromMoneyWire(o['fee'], `${field}.fee`),
    liquidity: parseLiquiditySide(o['liquidity'], `${field}.liquidity`),
    timestamp: integer(o, 'timestamp', field),
  };
}

export function fromPlacementWire(value: unknown, field = 'placement'): PlacementResult {
  const o = record(value, field);
  if (o['kind'] === 'rejected') {
    return {
      kind: 'rejected',
      clientOrderId: parseClientOrderId(o['clientOrderId'], `${field}.clientOrderId`),
      reason: text(o, 'reason', field),
    };
  }
  if (o['kind'] !== 'accepted')
    throw new InvalidArgumentError(`${field}.kind`, 'must be accepted or rejected');
  const fills = o['fills'];
  if (!Array.isArray(fills)) throw new InvalidArgumentError(`${field}.fills`, 'must be an array');
  return {
    kind: 'accepted',
    order: fromOrderSnapshotWire(o['order'], `${field}.order`),
    fills: fills.map((f, i) => fromFillWire(f, `${field}.fills[${i}]`)),
  };
}

function fromLevels(value: unknown, field: string): BookLevel[] {
  if (!Array.isArray(value)) throw new InvalidArgumentError(field, 'must be an array of [price, quantity]');
  return value.map((level: unknown, i) => {
    if (!Array.isArray(level) || level.length !== 2) {
      throw new InvalidArgumentError(`${field}[${i}]`, 'must be [price, quantity]');
    }
    const [p, q] = level as unknown[];
    if (typeof p !== 'string' || typeof q !== 'string') {
      throw new InvalidArgumentError(`${field}[${i}]`, 'price and quantity must be decimal strings');
    }
    return {
      price: Price.parse(p, `${field}[${i}].price`),
      quantity: Quantity.parse(q, `${field}[${i}].quantity`),
    };
  });
}

export function fromBookWire(value: unknown, field = 'book'): BookSnapshot {
  const o = record(value, field);
  return {
    instrumentId: parseInstrumentId(o['instrumentId'], `${field}.instrumentId`),
    sequence: integer(o, 'sequence', field),
    bids: fromLevels(o['bids'], `${field}.bids`),
    asks: fromLevels(o['asks'], `${field}.asks`),
    timestamp: integer(o, 'timestamp', field),
  };
}

/** A market-data event from the wire; trades are passed through as validated text. */
export function fromMarketDataWire(value: unknown, field = 'event'): MarketDataEvent {
  const o = record(value, field);
  switch (o['kind']) {
    case 'snapshot':
      return { kind: 'snapshot', book: fromBookWire(o['book'], `${field}.book`) };
    case 'delta':
      return { kind: 'delta', delta: fromBookWire(o['delta'], `${field}.delta`) };
    case 'trade':
      return {
        kind: 'trade',
        trade: {
          instrumentId: parseInstrumentId(o['instrumentId'], `${field}.instrumentId`),
          tradeId: text(o, 'tradeId', field),
          price: Price.parse(text(o, 'price', field), `${field}.price`),
          quantity: Quantity.parse(text(o, 'quantity', field), `${field}.quantity`),
          aggressorSide: parseOrderSide(o['aggressorSide'], `${field}.aggressorSide`),
          timestamp: integer(o, 'timestamp', field),
        },
      };
    case 'stale':
      return {
        kind: 'stale',
        instrumentId: parseInstrumentId(o['instrumentId'], `${field}.instrumentId`),
        reason: text(o, 'reason', field),
      };
    default:
      throw new InvalidArgumentError(`${field}.kind`, 'must be snapshot, delta, trade or stale');
  }
}

/** An execution event from the wire (what `venue-execution` messages carry). */
export function fromExecutionEventWire(value: unknown, field = 'event'): VenueExecutionEvent {
  const o = record(value, field);
  switch (o['kind']) {
    case 'order': {
      const order = fromOrderSnapshotWire(o['order'], `${field}.order`);
      return o['reason'] === undefined
        ? { kind: 'order', order }
        : { kind: 'order', order, reason: text(o, 'reason', field) };
    }
    case 'fill':
      return { kind: 'fill', fill: fromFillWire(o['fill'], `${field}.fill`) };
    case 'reconnected':
      return { kind: 'reconnected', at: integer(o, 'at', field) };
    default:
      throw new InvalidArgumentError(`${field}.kind`, 'must be order, fill or reconnected');
  }
}
