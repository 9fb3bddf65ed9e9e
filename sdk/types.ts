// What the SDK's callers see: decimals as strings, enums as short upper-case names, times as Dates.
// The generated protobuf types stay behind the SDK (see convert-*.ts).

/** An exact decimal written out: optional "-", digits, optional "." and digits (e.g. "0.00001000"). */
export type DecimalString = string;

/** A tradable instrument on one venue; its text form is "<symbol>.<VENUE>", e.g. "BTC-USD.PAPER". */
export interface InstrumentId {
  readonly symbol: string;
  /** Lower case: "paper", "binanceus", "coinbase", "oanda". */
  readonly venue: string;
}

/** An instrument as an object or as its text form "BTC-USD.PAPER". */
export type InstrumentInput = InstrumentId | string;

export const OrderSide = { BUY: 'BUY', SELL: 'SELL' } as const;
export type OrderSide = (typeof OrderSide)[keyof typeof OrderSide];

export const OrderType = {
  MARKET: 'MARKET',
  LIMIT: 'LIMIT',
  STOP: 'STOP',
  STOP_LIMIT: 'STOP_LIMIT',
} as const;
export type OrderType = (typeof OrderType)[keyof typeof OrderType];

export const TimeInForce = { GTC: 'GTC', GTD: 'GTD', IOC: 'IOC', FOK: 'FOK', DAY: 'DAY' } as const;
export type TimeInForce = (typeof TimeInForce)[keyof typeof TimeInForce];

export const OrderStatus = {
  NEW: 'NEW',
  PENDING_NEW: 'PENDING_NEW',
  ACKNOWLEDGED: 'ACKNOWLEDGED',
  PARTIALLY_FILLED: 'PARTIALLY_FILLED',
  FILLED: 'FILLED',
  PENDING_CANCEL: 'PENDING_CANCEL',
  CANCELLED: 'CANCELLED',
  REJECTED: 'REJECTED',
  EXPIRED: 'EXPIRED',
} as const;
export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];

export const Liquidity = { MAKER: 'MAKER', TAKER: 'TAKER' } as const;
export type Liquidity = (typeof Liquidity)[keyof typeof Liquidity];

export const Role = { VIEWER: 'VIEWER', TRADER: 'TRADER', ADMIN: 'ADMIN' } as const;
export type Role = (typeof Role)[keyof typeof Role];

export const ApiKeyScope = { READ: 'READ', TRADE: 'TRADE', ADMIN: 'ADMIN' } as const;
export type ApiKeyScope = (typeof ApiKeyScope)[keyof typeof ApiKeyScope];

/** An enum value this SDK version does not know (a newer gateway), or one the gateway left unset. */
export type Unrecognized = 'UNSPECIFIED';

export interface Tokens {
  readonly accessToken: string;
  readonly accessTokenExpireTime: Date;
  readonly refreshToken: string;
  readonly refreshTokenExpireTime: Date;
}

export interface User {
  readonly userId: string;
  readonly email: string;
  readonly roles: readonly (Role | Unrecognized)[];
  readonly createTime: Date | undefined;
}

export interface ApiKey {
  readonly keyId: string;
  /** The owner's name for the key; '' when it has none. */
  readonly label: string;
  readonly scopes: readonly (ApiKeyScope | Unrecognized)[];
  readonly allowedIps: readonly string[];
  readonly createTime: Date | undefined;
  readonly lastUseTime: Date | undefined;
  readonly revokeTime: Date | undefined;
}

export interface CreatedApiKey {
  readonly apiKey: ApiKey;
  /** "<key id>.<secret>": shown once; pass it as `apiKey` to NinjaClient. */
  readonly credential: string;
}

export interface Order {
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly venueOrderId: string | undefined;
  readonly accountId: string;
  readonly instrumentId: InstrumentId | undefined;
  readonly side: OrderSide | Unrecognized;
  readonly type: OrderType | Unrecognized;
  readonly timeInForce: TimeInForce | Unrecognized;
  readonly quantity: DecimalString | undefined;
  readonly price: DecimalString | undefined;
  readonly stopPrice: DecimalString | undefined;
  readonly postOnly: boolean;
  readonly reduceOnly: boolean;
  readonly status: OrderStatus | Unrecognized;
  readonly filledQuantity: DecimalString | undefined;
  readonly averageFillPrice: DecimalString | undefined;
  readonly expireTime: Date | undefined;
  readonly createTime: Date | undefined;
  readonly updateTime: Date | undefined;
  readonly rejectReason: string | undefined;
}

export interface Money {
  readonly amount: DecimalString | undefined;
  readonly currency: string;
}

export interface Fill {
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly tradeId: string;
  readonly instrumentId: InstrumentId | undefined;
  readonly side: OrderSide | Unrecognized;
  readonly quantity: DecimalString | undefined;
  readonly price: DecimalString | undefined;
  readonly fee: Money | undefined;
  readonly liquidity: Liquidity | Unrecognized;
  readonly fillTime: Date | undefined;
}

export interface OrderUpdate {
  readonly order: Order | undefined;
  /** Set when the update is an execution. */
  readonly fill: Fill | undefined;
}

export interface PlaceOrderInput {
  readonly accountId: string;
  readonly instrumentId: InstrumentInput;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly quantity: DecimalString;
  /** LIMIT and STOP_LIMIT. */
  readonly price?: DecimalString;
  /** STOP and STOP_LIMIT. */
  readonly stopPrice?: DecimalString;
  /** Default: GTC for LIMIT/STOP_LIMIT, IOC for MARKET (decided by the gateway). */
  readonly timeInForce?: TimeInForce;
  readonly postOnly?: boolean;
  readonly reduceOnly?: boolean;
  /** GTD only. */
  readonly expireTime?: Date;
  /**
   * Idempotency key: 1 to 36 of [A-Za-z0-9_-]. When absent the SDK assigns one (unless the client
   * was built with `assignClientOrderIds: false`), which is what makes PlaceOrder safe to retry.
   */
  readonly clientOrderId?: string;
}

/** Exactly one of the two. */
export type OrderRef = { readonly orderId: string } | { readonly clientOrderId: string };

export interface ListOrdersInput {
  readonly accountId: string;
  readonly instrumentId?: InstrumentInput;
  readonly statuses?: readonly OrderStatus[];
  /** 1 to 500; default 100. */
  readonly pageSize?: number;
  readonly pageToken?: string;
}

export interface OrderPage {
  readonly orders: readonly Order[];
  /** Undefined on the last page. */
  readonly nextPageToken: string | undefined;
}

export interface Instrument {
  readonly instrumentId: InstrumentId | undefined;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly tickSize: DecimalString | undefined;
  readonly stepSize: DecimalString | undefined;
  readonly minQuantity: DecimalString | undefined;
  readonly maxQuantity: DecimalString | undefined;
  readonly minNotional: DecimalString | undefined;
}

export interface OrderBookLevel {
  readonly price: DecimalString | undefined;
  /** "0" in an update removes the level. */
  readonly quantity: DecimalString | undefined;
}

export interface OrderBook {
  readonly instrumentId: InstrumentId | undefined;
  /** Highest first. */
  readonly bids: readonly OrderBookLevel[];
  /** Lowest first. */
  readonly asks: readonly OrderBookLevel[];
  readonly sequence: bigint;
  readonly updateTime: Date | undefined;
}

/** One message of StreamOrderBook: a snapshot replaces the book, an update changes levels. */
export type OrderBookEvent =
  | { readonly type: 'snapshot'; readonly book: OrderBook }
  | { readonly type: 'update'; readonly book: OrderBook };

export interface MarketTrade {
  readonly instrumentId: InstrumentId | undefined;
  readonly tradeId: string;
  readonly price: DecimalString | undefined;
  readonly quantity: DecimalString | undefined;
  readonly aggressorSide: OrderSide | Unrecognized;
  readonly tradeTime: Date | undefined;
}

export interface Account {
  readonly accountId: string;
  readonly venue: string;
  readonly name: string;
  readonly createTime: Date | undefined;
}

export interface Balance {
  readonly asset: string;
  readonly total: DecimalString | undefined;
  readonly available: DecimalString | undefined;
  readonly locked: DecimalString | undefined;
  readonly updateTime: Date | undefined;
  /**
   * False when the account trades on its venue connection's shared funds: `total` is then the net of
   * its own fills (negative when it paid out more than it received), not money it holds.
   */
  readonly funded: boolean;
}

export interface Position {
  readonly instrumentId: InstrumentId | undefined;
  /** Signed: negative is short. */
  readonly quantity: DecimalString | undefined;
  /** Undefined while flat. */
  readonly averagePrice: DecimalString | undefined;
  readonly realizedPnl: DecimalString | undefined;
  readonly unrealizedPnl: DecimalString | undefined;
  readonly updateTime: Date | undefined;
}

export interface Pnl {
  /** The total when it is in one currency; undefined when there is none or there are several. */
  readonly realizedPnl: Money | undefined;
  readonly unrealizedPnl: Money | undefined;
  readonly fees: Money | undefined;
  readonly updateTime: Date | undefined;
  /** Every currency's total (realised and unrealised PnL per quote currency). */
  readonly realizedPnlByCurrency: readonly Money[];
  readonly unrealizedPnlByCurrency: readonly Money[];
  /** Fees per currency charged (a venue may charge a buy's fee in the asset bought). */
  readonly feesByCurrency: readonly Money[];
}

/** A cluster member's lifecycle state. */
export const MemberState = {
  JOINING: 'JOINING',
  UP: 'UP',
  DRAINING: 'DRAINING',
  LEAVING: 'LEAVING',
} as const;
export type MemberState = (typeof MemberState)[keyof typeof MemberState];

export interface ClusterMember {
  readonly nodeId: string;
  /** Its cluster listener, host:port (`local` for a one-node cluster without one). */
  readonly address: string;
  readonly roles: readonly string[];
  readonly version: string;
  readonly state: MemberState | Unrecognized;
  readonly startedAt: Date;
  /** Activations it holds, by kind. */
  readonly actorsByKind: readonly { readonly kind: string; readonly actors: number }[];
  readonly actors: number;
}

/** GetClusterStatus: the members as one node (`viewOf`) sees them. */
export interface ClusterStatus {
  readonly clusterName: string;
  readonly viewOf: string;
  readonly observedAt: Date;
  readonly members: readonly ClusterMember[];
}

export interface RiskLimits {
  readonly maxOrderNotional?: DecimalString;
  readonly maxPositionQuantity?: DecimalString;
  /** 0 or absent = no limit. */
  readonly maxOrdersPerMinute?: number;
  /** Percent, e.g. "5". */
  readonly priceBandPercent?: DecimalString;
}

export interface KillSwitchInput {
  readonly accountId: string;
  readonly engaged: boolean;
  readonly cancelOpenOrders?: boolean;
  readonly reason?: string;
}
