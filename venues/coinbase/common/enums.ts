/** Coinbase Advanced Trade wire enums, as const objects with same-named types. */
export const CoinbaseSide = { BUY: 'BUY', SELL: 'SELL' } as const;
export type CoinbaseSide = (typeof CoinbaseSide)[keyof typeof CoinbaseSide];

/** Order `status` (British CANCELLED, as Coinbase spells it). */
export const CoinbaseOrderStatus = {
  PENDING: 'PENDING',
  OPEN: 'OPEN',
  FILLED: 'FILLED',
  CANCELLED: 'CANCELLED',
  EXPIRED: 'EXPIRED',
  FAILED: 'FAILED',
  UNKNOWN_ORDER_STATUS: 'UNKNOWN_ORDER_STATUS',
  QUEUED: 'QUEUED',
  CANCEL_QUEUED: 'CANCEL_QUEUED',
} as const;
export type CoinbaseOrderStatus = (typeof CoinbaseOrderStatus)[keyof typeof CoinbaseOrderStatus];

export const CoinbaseTimeInForce = {
  GOOD_UNTIL_CANCELLED: 'GOOD_UNTIL_CANCELLED',
  GOOD_UNTIL_DATE_TIME: 'GOOD_UNTIL_DATE_TIME',
  IMMEDIATE_OR_CANCEL: 'IMMEDIATE_OR_CANCEL',
  FILL_OR_KILL: 'FILL_OR_KILL',
  UNKNOWN_TIME_IN_FORCE: 'UNKNOWN_TIME_IN_FORCE',
} as const;
export type CoinbaseTimeInForce = (typeof CoinbaseTimeInForce)[keyof typeof CoinbaseTimeInForce];

/** The `order_configuration` keys the connector sends and the simulator accepts. */
export const OrderConfigurationKind = {
  MARKET_MARKET_IOC: 'market_market_ioc',
  SOR_LIMIT_IOC: 'sor_limit_ioc',
  LIMIT_LIMIT_GTC: 'limit_limit_gtc',
  LIMIT_LIMIT_GTD: 'limit_limit_gtd',
  LIMIT_LIMIT_FOK: 'limit_limit_fok',
  STOP_LIMIT_STOP_LIMIT_GTC: 'stop_limit_stop_limit_gtc',
  STOP_LIMIT_STOP_LIMIT_GTD: 'stop_limit_stop_limit_gtd',
} as const;
export type OrderConfigurationKind = (typeof OrderConfigurationKind)[keyof typeof OrderConfigurationKind];

export const StopDirection = {
  STOP_UP: 'STOP_DIRECTION_STOP_UP',
  STOP_DOWN: 'STOP_DIRECTION_STOP_DOWN',
} as const;
export type StopDirection = (typeof StopDirection)[keyof typeof StopDirection];

/**
 * `new_order_failure_reason` / `preview_failure_reason` values the connector and simulator use
 * (from the Create Order response enum).
 */
export const FailureReason = {
  UNKNOWN_FAILURE_REASON: 'UNKNOWN_FAILURE_REASON',
  UNSUPPORTED_ORDER_CONFIGURATION: 'UNSUPPORTED_ORDER_CONFIGURATION',
  INVALID_SIDE: 'INVALID_SIDE',
  INVALID_PRODUCT_ID: 'INVALID_PRODUCT_ID',
  INVALID_SIZE_PRECISION: 'INVALID_SIZE_PRECISION',
  INVALID_PRICE_PRECISION: 'INVALID_PRICE_PRECISION',
  INSUFFICIENT_FUND: 'INSUFFICIENT_FUND',
  INVALID_LIMIT_PRICE_POST_ONLY: 'INVALID_LIMIT_PRICE_POST_ONLY',
  INVALID_LIMIT_PRICE: 'INVALID_LIMIT_PRICE',
  INVALID_NO_LIQUIDITY: 'INVALID_NO_LIQUIDITY',
  INVALID_REQUEST: 'INVALID_REQUEST',
  INVALID_END_TIME: 'INVALID_END_TIME',
  PREVIEW_INSUFFICIENT_FUND: 'PREVIEW_INSUFFICIENT_FUND',
  PREVIEW_INVALID_BASE_SIZE_TOO_SMALL: 'PREVIEW_INVALID_BASE_SIZE_TOO_SMALL',
  PREVIEW_INVALID_BASE_SIZE_TOO_LARGE: 'PREVIEW_INVALID_BASE_SIZE_TOO_LARGE',
  PREVIEW_INVALID_QUOTE_SIZE_TOO_SMALL: 'PREVIEW_INVALID_QUOTE_SIZE_TOO_SMALL',
  PREVIEW_INVALID_STOP_PRICE: 'PREVIEW_INVALID_STOP_PRICE',
} as const;
export type FailureReason = (typeof FailureReason)[keyof typeof FailureReason];

/** Batch-cancel `failure_reason` values. */
export const CancelFailureReason = {
  UNKNOWN_CANCEL_FAILURE_REASON: 'UNKNOWN_CANCEL_FAILURE_REASON',
  INVALID_CANCEL_REQUEST: 'INVALID_CANCEL_REQUEST',
  UNKNOWN_CANCEL_ORDER: 'UNKNOWN_CANCEL_ORDER',
  COMMANDER_REJECTED_CANCEL_ORDER: 'COMMANDER_REJECTED_CANCEL_ORDER',
  DUPLICATE_CANCEL_REQUEST: 'DUPLICATE_CANCEL_REQUEST',
} as const;
export type CancelFailureReason = (typeof CancelFailureReason)[keyof typeof CancelFailureReason];

export const LiquidityIndicator = {
  MAKER: 'MAKER',
  TAKER: 'TAKER',
  UNKNOWN_LIQUIDITY_INDICATOR: 'UNKNOWN_LIQUIDITY_INDICATOR',
} as const;
export type LiquidityIndicator = (typeof LiquidityIndicator)[keyof typeof LiquidityIndicator];

/** WebSocket channels: what is subscribed (`level2`) and what messages carry (`l2_data`). */
export const Channel = {
  LEVEL2: 'level2',
  MARKET_TRADES: 'market_trades',
  TICKER: 'ticker',
  HEARTBEATS: 'heartbeats',
  USER: 'user',
} as const;
export type Channel = (typeof Channel)[keyof typeof Channel];
