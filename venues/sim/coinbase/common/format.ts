import { FixedDecimal, RoundingMode } from '../../../../domain/values/index.ts';
import type { PaperFill } from '../../../paper/index.ts';
import { expandFill } from '../../compact-fill.ts';
import type { SimOrderRecord } from './sim-state.ts';

/** A fill's commission in the quote currency: the engine charges the asset received (base on a buy). */
export function commission(record: SimOrderRecord, fill: PaperFill): FixedDecimal {
  const fee = FixedDecimal.from(fill.fee);
  return record.side === 'BUY' ? fee.mul(fill.price) : fee;
}

const TIF: Readonly<Record<string, string>> = {
  market_market_ioc: 'IMMEDIATE_OR_CANCEL',
  sor_limit_ioc: 'IMMEDIATE_OR_CANCEL',
  limit_limit_gtc: 'GOOD_UNTIL_CANCELLED',
  limit_limit_gtd: 'GOOD_UNTIL_DATE_TIME',
  limit_limit_fok: 'FILL_OR_KILL',
  stop_limit_stop_limit_gtc: 'GOOD_UNTIL_CANCELLED',
  stop_limit_stop_limit_gtd: 'GOOD_UNTIL_DATE_TIME',
};

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The venue's status of an order (OPEN, FILLED, CANCELLED, EXPIRED, FAILED). */
export function statusOf(r: SimOrderRecord): string {
  const o = r.last;
  if (o === undefined) return r.closedStatus ?? 'CANCELLED';
  switch (o.status) {
    case 'NEW':
    case 'PARTIALLY_FILLED':
      return 'OPEN';
    case 'FILLED':
      return 'FILLED';
    case 'CANCELED':
      return r.expired ? 'EXPIRED' : 'CANCELLED';
    case 'EXPIRED':
      // The unfilled rest of an IOC/market order, or a self-trade stop: cancelled at the venue.
      return 'CANCELLED';
    default:
      return 'FAILED';
  }
}

export function orderType(r: SimOrderRecord): string {
  if (r.kind.startsWith('market')) return 'MARKET';
  if (r.kind.startsWith('stop_limit')) return 'STOP_LIMIT';
  return 'LIMIT';
}

function filled(r: SimOrderRecord): { size: string; value: FixedDecimal; avg: string; fees: FixedDecimal } {
  const o = r.last;
  const fees = r.fills.reduce((sum, text) => sum.add(commission(r, expandFill(text))), FixedDecimal.zero());
  if (o === undefined || o.filledQuantity.isZero()) {
    return { size: '0', value: FixedDecimal.zero(), avg: '0', fees };
  }
  const value = o.cumulativeQuote;
  const avg = value.div(o.filledQuantity, o.price?.precision ?? 8, RoundingMode.HALF_EVEN);
  return { size: o.filledQuantity.toString(), value, avg: avg.toString(), fees };
}

/** An order object of `GET /orders/historical/{id}` and `/orders/historical/batch`. */
export function orderJson(r: SimOrderRecord): Record<string, unknown> {
  const f = filled(r);
  const status = statusOf(r);
  const quantity = r.last?.quantity;
  const lastText = r.fills.at(-1);
  const lastFill = lastText === undefined ? undefined : expandFill(lastText);
  return {
    order_id: r.orderId,
    product_id: r.productId,
    user_id: r.accountId,
    order_configuration: { [r.kind]: r.configuration },
    side: r.side,
    client_order_id: r.clientOrderId,
    status,
    time_in_force: TIF[r.kind] ?? 'UNKNOWN_TIME_IN_FORCE',
    created_time: iso(r.createdAt),
    completion_percentage:
      quantity === undefined || quantity.isZero() || r.last === undefined
        ? '0'
        : r.last.filledQuantity
            .mulDecimal(FixedDecimal.parse('100'))
            .div(quantity, 2, RoundingMode.DOWN)
            .toString(),
    filled_size: f.size,
    average_filled_price: f.avg,
    fee: '',
    number_of_fills: String(r.fills.length),
    filled_value: f.value.toString(),
    pending_cancel: false,
    size_in_quote: false,
    total_fees: f.fees.toString(),
    size_inclusive_of_fees: false,
    total_value_after_fees: (r.side === 'BUY' ? f.value.add(f.fees) : f.value.sub(f.fees)).toString(),
    trigger_status:
      orderType(r) === 'STOP_LIMIT'
        ? r.last?.triggered === true
          ? 'STOP_TRIGGERED'
          : 'STOP_PENDING'
        : 'INVALID_ORDER_TYPE',
    order_type: orderType(r),
    reject_reason: '',
    settled: status !== 'OPEN',
    product_type: 'SPOT',
    reject_message: '',
    cancel_message: status === 'CANCELLED' ? 'User requested cancel' : '',
    order_placement_source: 'RETAIL_ADVANCED',
    outstanding_hold_amount: '0',
    is_liquidation: false,
    last_fill_time: lastFill === undefined ? null : iso(lastFill.time),
  };
}

/** One fill of `GET /orders/historical/fills`. */
export function fillJson(
  r: SimOrderRecord,
  fill: PaperFill,
  commission: FixedDecimal,
): Record<string, unknown> {
  return {
    entry_id: `${r.orderId}-${String(fill.tradeId)}`,
    trade_id: String(fill.tradeId),
    order_id: r.orderId,
    trade_time: iso(fill.time),
    trade_type: 'FILL',
    price: fill.price.toString(),
    size: fill.quantity.toString(),
    commission: commission.toString(),
    product_id: r.productId,
    sequence_timestamp: iso(fill.time),
    liquidity_indicator: fill.liquidity,
    size_in_quote: false,
    user_id: r.accountId,
    side: r.side,
    retail_portfolio_id: '',
  };
}

/** An order of the `user` WebSocket channel. */
export function userOrderJson(r: SimOrderRecord): Record<string, unknown> {
  const f = filled(r);
  const status = statusOf(r);
  const o = r.last;
  const leaves = o === undefined || status !== 'OPEN' ? '0' : o.quantity.sub(o.filledQuantity).toString();
  const config = r.configuration;
  return {
    order_id: r.orderId,
    client_order_id: r.clientOrderId,
    cumulative_quantity: f.size,
    leaves_quantity: leaves,
    avg_price: f.avg,
    total_fees: f.fees.toString(),
    status,
    product_id: r.productId,
    creation_time: iso(r.createdAt),
    order_side: r.side,
    order_type: orderType(r),
    cancel_reason: status === 'CANCELLED' ? 'User requested cancel' : '',
    reject_reason: '',
    time_in_force: TIF[r.kind] ?? 'UNKNOWN_TIME_IN_FORCE',
    limit_price: typeof config['limit_price'] === 'string' ? config['limit_price'] : '',
    stop_price: typeof config['stop_price'] === 'string' ? config['stop_price'] : '',
    post_only: r.postOnly,
    number_of_fills: String(r.fills.length),
    filled_value: f.value.toString(),
    completion_percentage: '',
    product_type: 'SPOT',
    end_time: r.endTime === undefined ? '' : iso(r.endTime),
    trigger_status:
      orderType(r) === 'STOP_LIMIT'
        ? o?.triggered === true
          ? 'STOP_TRIGGERED'
          : 'STOP_PENDING'
        : 'INVALID_ORDER_TYPE',
  };
}
