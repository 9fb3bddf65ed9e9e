import {
  InternalError,
  ProtoLiquidity,
  ProtoMemberState,
  ProtoRole,
  ProtoScope,
  ProtoSide,
  ProtoStatus,
  ProtoTif,
  ProtoType,
} from './internal.ts';
import type {
  GetClusterStatusResponse,
  GetPnlResponse,
  ProtoAccount,
  ProtoApiKey,
  ProtoBalance,
  ProtoBook,
  ProtoFill,
  ProtoInstrument,
  ProtoMoney,
  ProtoOrder,
  ProtoPosition,
  ProtoRiskLimits,
  ProtoTrade,
  ProtoUser,
  StreamOrderBookResponse,
  TokenPair,
} from './internal.ts';
import { decimalOut, enumCodec, instrumentOut, optionalDecimalIn, timestampOut } from './convert-values.ts';
import type {
  Account,
  ApiKey,
  Balance,
  ClusterStatus,
  Fill,
  Instrument,
  MarketTrade,
  Money,
  Order,
  OrderBook,
  OrderBookEvent,
  Pnl,
  Position,
  RiskLimits,
  Tokens,
  User,
} from './types.ts';
import {
  ApiKeyScope,
  Liquidity,
  MemberState,
  OrderSide,
  OrderStatus,
  OrderType,
  Role,
  TimeInForce,
} from './types.ts';

export const sideCodec = enumCodec('ORDER_SIDE_', ProtoSide, Object.values(OrderSide));
export const typeCodec = enumCodec('ORDER_TYPE_', ProtoType, Object.values(OrderType));
export const timeInForceCodec = enumCodec('TIME_IN_FORCE_', ProtoTif, Object.values(TimeInForce));
export const statusCodec = enumCodec('ORDER_STATUS_', ProtoStatus, Object.values(OrderStatus));
export const liquidityCodec = enumCodec('LIQUIDITY_', ProtoLiquidity, Object.values(Liquidity));
export const roleCodec = enumCodec('ROLE_', ProtoRole, Object.values(Role));
export const scopeCodec = enumCodec('API_KEY_SCOPE_', ProtoScope, Object.values(ApiKeyScope));

function text(value: string): string | undefined {
  return value === '' ? undefined : value;
}

export function tokensOut(pair: TokenPair | undefined): Tokens {
  const access = timestampOut(pair?.accessTokenExpireTime);
  const refresh = timestampOut(pair?.refreshTokenExpireTime);
  if (pair === undefined || pair.accessToken === '' || access === undefined || refresh === undefined) {
    throw new InternalError('the gateway answered without a complete token pair');
  }
  return {
    accessToken: pair.accessToken,
    accessTokenExpireTime: access,
    refreshToken: pair.refreshToken,
    refreshTokenExpireTime: refresh,
  };
}

export function userOut(user: ProtoUser | undefined): User {
  if (user === undefined) throw new InternalError('the gateway answered without the user');
  return {
    userId: user.userId,
    email: user.email,
    roles: user.roles.map((role) => roleCodec.fromProto(role)),
    createTime: timestampOut(user.createTime),
  };
}

export function apiKeyOut(key: ProtoApiKey | undefined): ApiKey {
  if (key === undefined) throw new InternalError('the gateway answered without the API key');
  return {
    keyId: key.keyId,
    // Unset: the key was created without a label.
    label: key.label ?? '',
    scopes: key.scopes.map((scope) => scopeCodec.fromProto(scope)),
    allowedIps: key.allowedIps,
    createTime: timestampOut(key.createTime),
    lastUseTime: timestampOut(key.lastUseTime),
    revokeTime: timestampOut(key.revokeTime),
  };
}

export function orderOut(order: ProtoOrder): Order {
  return {
    orderId: order.orderId,
    clientOrderId: order.clientOrderId,
    venueOrderId: text(order.venueOrderId),
    accountId: order.accountId,
    instrumentId: instrumentOut(order.instrumentId),
    side: sideCodec.fromProto(order.side),
    type: typeCodec.fromProto(order.type),
    timeInForce: timeInForceCodec.fromProto(order.timeInForce),
    quantity: decimalOut(order.quantity),
    price: decimalOut(order.price),
    stopPrice: decimalOut(order.stopPrice),
    postOnly: order.postOnly,
    reduceOnly: order.reduceOnly,
    status: statusCodec.fromProto(order.status),
    filledQuantity: decimalOut(order.filledQuantity),
    averageFillPrice: decimalOut(order.averageFillPrice),
    expireTime: timestampOut(order.expireTime),
    createTime: timestampOut(order.createTime),
    updateTime: timestampOut(order.updateTime),
    rejectReason: text(order.rejectReason),
  };
}

export function requiredOrderOut(order: ProtoOrder | undefined, method: string): Order {
  if (order === undefined) throw new InternalError(`${method} answered without the order`);
  return orderOut(order);
}

export function moneyOut(money: ProtoMoney | undefined): Money | undefined {
  return money === undefined ? undefined : requiredMoney(money);
}

/** An element of a list of amounts: never absent on the wire. */
function requiredMoney(money: ProtoMoney): Money {
  return { amount: decimalOut(money.amount), currency: money.currency };
}

export function fillOut(fill: ProtoFill): Fill {
  return {
    orderId: fill.orderId,
    clientOrderId: fill.clientOrderId,
    tradeId: fill.tradeId,
    instrumentId: instrumentOut(fill.instrumentId),
    side: sideCodec.fromProto(fill.side),
    quantity: decimalOut(fill.quantity),
    price: decimalOut(fill.price),
    fee: moneyOut(fill.fee),
    liquidity: liquidityCodec.fromProto(fill.liquidity),
    fillTime: timestampOut(fill.fillTime),
  };
}

export function instrumentInfoOut(instrument: ProtoInstrument): Instrument {
  return {
    instrumentId: instrumentOut(instrument.id),
    baseAsset: instrument.baseAsset,
    quoteAsset: instrument.quoteAsset,
    tickSize: decimalOut(instrument.tickSize),
    stepSize: decimalOut(instrument.stepSize),
    minQuantity: decimalOut(instrument.minQuantity),
    maxQuantity: decimalOut(instrument.maxQuantity),
    minNotional: decimalOut(instrument.minNotional),
  };
}

export function bookOut(book: ProtoBook): OrderBook {
  return {
    instrumentId: instrumentOut(book.instrumentId),
    bids: book.bids.map((level) => ({
      price: decimalOut(level.price),
      quantity: decimalOut(level.quantity),
    })),
    asks: book.asks.map((level) => ({
      price: decimalOut(level.price),
      quantity: decimalOut(level.quantity),
    })),
    sequence: book.sequence,
    updateTime: timestampOut(book.updateTime),
  };
}

export function bookEventOut(message: StreamOrderBookResponse): OrderBookEvent {
  if (message.snapshot !== undefined) return { type: 'snapshot', book: bookOut(message.snapshot) };
  if (message.update !== undefined) return { type: 'update', book: bookOut(message.update) };
  throw new InternalError('StreamOrderBook sent a message with neither snapshot nor update');
}

export function tradeOut(trade: ProtoTrade): MarketTrade {
  return {
    instrumentId: instrumentOut(trade.instrumentId),
    tradeId: trade.tradeId,
    price: decimalOut(trade.price),
    quantity: decimalOut(trade.quantity),
    aggressorSide: sideCodec.fromProto(trade.aggressorSide),
    tradeTime: timestampOut(trade.tradeTime),
  };
}

export function accountOut(account: ProtoAccount): Account {
  return {
    accountId: account.accountId,
    venue: account.venue,
    name: account.name,
    createTime: timestampOut(account.createTime),
  };
}

export function balanceOut(balance: ProtoBalance): Balance {
  return {
    asset: balance.asset,
    total: decimalOut(balance.total),
    available: decimalOut(balance.available),
    locked: decimalOut(balance.locked),
    updateTime: timestampOut(balance.updateTime),
    funded: balance.funded,
  };
}

export function positionOut(position: ProtoPosition): Position {
  return {
    instrumentId: instrumentOut(position.instrumentId),
    quantity: decimalOut(position.quantity),
    averagePrice: decimalOut(position.averagePrice),
    realizedPnl: decimalOut(position.realizedPnl),
    unrealizedPnl: decimalOut(position.unrealizedPnl),
    updateTime: timestampOut(position.updateTime),
  };
}

export function pnlOut(pnl: GetPnlResponse): Pnl {
  return {
    realizedPnl: moneyOut(pnl.realizedPnl),
    unrealizedPnl: moneyOut(pnl.unrealizedPnl),
    fees: moneyOut(pnl.fees),
    updateTime: timestampOut(pnl.updateTime),
    realizedPnlByCurrency: pnl.realizedPnlByCurrency.map(requiredMoney),
    unrealizedPnlByCurrency: pnl.unrealizedPnlByCurrency.map(requiredMoney),
    feesByCurrency: pnl.feesByCurrency.map(requiredMoney),
  };
}

const memberStateCodec = enumCodec('MEMBER_STATE_', ProtoMemberState, Object.values(MemberState));

export function clusterStatusOut(status: GetClusterStatusResponse): ClusterStatus {
  return {
    clusterName: status.clusterName,
    viewOf: status.viewOf,
    observedAt: new Date(Number(status.observedAtUnixMs)),
    members: status.members.map((member) => ({
      nodeId: member.nodeId,
      address: member.address,
      roles: member.roles,
      version: member.version,
      state: memberStateCodec.fromProto(member.state),
      startedAt: new Date(Number(member.startedAtUnixMs)),
      actorsByKind: member.actors.map((entry) => ({ kind: entry.kind, actors: entry.actors })),
      actors: member.actorsTotal,
    })),
  };
}

export function riskLimitsIn(limits: RiskLimits): ProtoRiskLimits {
  return {
    maxOrderNotional: optionalDecimalIn(limits.maxOrderNotional, 'limits.max_order_notional'),
    maxPositionQuantity: optionalDecimalIn(limits.maxPositionQuantity, 'limits.max_position_quantity'),
    maxOrdersPerMinute: limits.maxOrdersPerMinute ?? 0,
    priceBandPercent: optionalDecimalIn(limits.priceBandPercent, 'limits.price_band_percent'),
  };
}

export function riskLimitsOut(limits: ProtoRiskLimits | undefined): RiskLimits {
  if (limits === undefined) return {};
  const out: { -readonly [K in keyof RiskLimits]: RiskLimits[K] } = {};
  const notional = decimalOut(limits.maxOrderNotional);
  const position = decimalOut(limits.maxPositionQuantity);
  const band = decimalOut(limits.priceBandPercent);
  if (notional !== undefined) out.maxOrderNotional = notional;
  if (position !== undefined) out.maxPositionQuantity = position;
  if (limits.maxOrdersPerMinute > 0) out.maxOrdersPerMinute = limits.maxOrdersPerMinute;
  if (band !== undefined) out.priceBandPercent = band;
  return out;
}
