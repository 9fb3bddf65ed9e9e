import { InternalError } from '../../domain/errors.ts';
import { averageFillPrice, parseInstrumentIdParts } from '../../domain/index.ts';
import type { InstrumentId, Order } from '../../domain/index.ts';
import type { Decimal } from '../../proto/gen/ninja/v1/decimal.ts';
import type { InstrumentId as ProtoInstrumentId } from '../../proto/gen/ninja/v1/instrument.ts';
import {
  orderSideFromJSON,
  orderStatusFromJSON,
  orderTypeFromJSON,
  timeInForceFromJSON,
} from '../../proto/gen/ninja/v1/order.ts';
import type { Order as ProtoOrder } from '../../proto/gen/ninja/v1/order.ts';
import type { Timestamp } from '../../proto/gen/google/protobuf/timestamp.ts';
import { ApiKeyScope, Role as ProtoRole } from '../../proto/gen/ninja/v1/auth.ts';
import type { ApiKey, User } from '../../proto/gen/ninja/v1/auth.ts';
import type { ApiKeyRecord } from '../auth/api-keys.ts';
import type { Role } from '../auth/roles-and-scopes.ts';
import { Scope } from '../auth/roles-and-scopes.ts';
import type { UserRecord } from '../auth/user-store.ts';

export function timestampOf(ms: number): Timestamp {
  const seconds = Math.floor(ms / 1000);
  return { seconds: BigInt(seconds), nanos: (ms - seconds * 1000) * 1_000_000 };
}

export function optionalTimestamp(date: Date | undefined): Timestamp | undefined {
  return date === undefined ? undefined : timestampOf(date.getTime());
}

const PROTO_ROLES: Readonly<Record<Role, ProtoRole>> = {
  viewer: ProtoRole.ROLE_VIEWER,
  trader: ProtoRole.ROLE_TRADER,
  admin: ProtoRole.ROLE_ADMIN,
};

const PROTO_SCOPES: Readonly<Record<Scope, ApiKeyScope>> = {
  read: ApiKeyScope.API_KEY_SCOPE_READ,
  trade: ApiKeyScope.API_KEY_SCOPE_TRADE,
  admin: ApiKeyScope.API_KEY_SCOPE_ADMIN,
};

/** The scope of a validated proto enum value. */
export function scopeOf(value: ApiKeyScope): Scope {
  switch (value) {
    case ApiKeyScope.API_KEY_SCOPE_READ:
      return Scope.READ;
    case ApiKeyScope.API_KEY_SCOPE_TRADE:
      return Scope.TRADE;
    case ApiKeyScope.API_KEY_SCOPE_ADMIN:
      return Scope.ADMIN;
    default:
      throw new InternalError(`scope ${String(value)} passed validation`);
  }
}

export function userMessage(user: UserRecord): User {
  return {
    userId: user.id,
    email: user.email,
    roles: user.roles.map((role) => PROTO_ROLES[role]),
    createTime: timestampOf(user.createdAt.getTime()),
  };
}

export function apiKeyMessage(key: ApiKeyRecord): ApiKey {
  return {
    keyId: key.keyId,
    label: key.label,
    scopes: key.scopes.map((scope) => PROTO_SCOPES[scope]),
    allowedIps: [...key.allowedIps],
    createTime: timestampOf(key.createdAt.getTime()),
    lastUseTime: optionalTimestamp(key.lastUsedAt),
    revokeTime: optionalTimestamp(key.revokedAt),
  };
}

/** Decimals of the average fill price in API answers (the exact ratio rounded once, half-even). */
const AVERAGE_PRICE_DECIMALS = 8;

const decimalOf = (value: { toString(): string } | undefined): Decimal | undefined =>
  value === undefined ? undefined : { value: value.toString() };

/** `ORDER_SIDE_BUY` → `BUY`: the proto enum's JSON name without its prefix is the domain's name. */
export function domainEnum(json: string, prefix: string): string {
  return json.startsWith(prefix) ? json.slice(prefix.length) : json;
}

export function instrumentMessage(id: InstrumentId): ProtoInstrumentId {
  const parts = parseInstrumentIdParts(id);
  return { symbol: parts.symbol, venue: parts.venue };
}

/** The API form of an order. */
export function orderMessage(order: Order): ProtoOrder {
  return {
    orderId: order.id,
    clientOrderId: order.clientOrderId,
    venueOrderId: order.venueOrderId ?? '',
    accountId: order.accountId,
    instrumentId: instrumentMessage(order.instrumentId),
    side: orderSideFromJSON(`ORDER_SIDE_${order.side}`),
    type: orderTypeFromJSON(`ORDER_TYPE_${order.type}`),
    timeInForce: timeInForceFromJSON(`TIME_IN_FORCE_${order.timeInForce}`),
    quantity: decimalOf(order.quantity),
    price: decimalOf(order.price),
    stopPrice: decimalOf(order.stopPrice),
    postOnly: order.postOnly,
    reduceOnly: order.reduceOnly,
    status: orderStatusFromJSON(`ORDER_STATUS_${order.status}`),
    filledQuantity: decimalOf(order.filledQuantity),
    averageFillPrice: decimalOf(averageFillPrice(order, AVERAGE_PRICE_DECIMALS)),
    expireTime: order.expireAt === undefined ? undefined : timestampOf(order.expireAt),
    createTime: timestampOf(order.createdAt),
    updateTime: timestampOf(order.updatedAt),
    rejectReason: order.rejectReason ?? '',
  };
}
