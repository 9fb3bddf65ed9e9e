import { Price, Quantity, FixedDecimal, RoundingMode } from '../../../../domain/values/index.ts';
import type { SubmitOrder, SubmitResult } from '../../../paper/index.ts';
import type { SimApiKey } from '../common/auth.ts';
import { SimErrors } from '../common/errors.ts';
import { keepKilled, sweepExpired } from '../common/order-records.ts';
import type { SimProduct } from '../common/products.ts';
import { clientKey } from '../common/sim-state.ts';
import type { CoinbaseSimState, SimOrderRecord } from '../common/sim-state.ts';

const KINDS = [
  'market_market_ioc',
  'sor_limit_ioc',
  'limit_limit_gtc',
  'limit_limit_gtd',
  'limit_limit_fok',
  'stop_limit_stop_limit_gtc',
  'stop_limit_stop_limit_gtd',
];

type Body = Readonly<Record<string, unknown>>;

/** A refusal the venue reports in the body (HTTP 200, success: false). */
class Refusal extends Error {
  constructor(
    readonly error: string,
    override readonly message: string,
    readonly newOrder: string,
    readonly preview: string,
  ) {
    super(message);
    this.name = 'Refusal';
  }
}

function decimalField<T>(body: Body, name: string, parse: (t: string, f: string) => T): T {
  const v = body[name];
  if (typeof v !== 'string') throw SimErrors.invalidArgument(`${name} must be a decimal string`);
  try {
    return parse(v, name);
  } catch {
    // Not a decimal the venue accepts: the venue's answer is INVALID_ARGUMENT.
    throw SimErrors.invalidArgument(`${name} is not a valid decimal: ${v}`);
  }
}
const price = (t: string, f: string): Price => Price.parse(t, f);
const quantity = (t: string, f: string): Quantity => Quantity.parse(t, f);
const fixed = (t: string, f: string): FixedDecimal => FixedDecimal.parse(t, f);

function endTime(body: Body, now: number): number {
  const v = body['end_time'];
  const ms = typeof v === 'string' ? Date.parse(v) : Number.NaN;
  if (!Number.isFinite(ms)) throw SimErrors.invalidArgument('end_time must be an RFC 3339 time');
  if (ms <= now)
    throw new Refusal(
      'INVALID_END_TIME',
      'end_time is in the past',
      'UNKNOWN_FAILURE_REASON',
      'PREVIEW_INVALID_END_TIME',
    );
  return ms;
}

function postOnly(body: Body): boolean {
  const v = body['post_only'];
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw SimErrors.invalidArgument('post_only must be a boolean');
  return v;
}

/** The documented configuration → an engine command (+ GTD end time). */
function command(
  kind: string,
  body: Body,
  base: { clientOrderId: string; instrumentId: string; side: 'BUY' | 'SELL' },
  now: number,
): { cmd: SubmitOrder; endTime: number | undefined; postOnly: boolean } {
  switch (kind) {
    case 'market_market_ioc': {
      const hasQuote = typeof body['quote_size'] === 'string' && body['quote_size'] !== '';
      if (hasQuote && base.side === 'SELL') {
        throw new Refusal(
          'UNSUPPORTED_ORDER_CONFIGURATION',
          'quote_size sells are not supported by the simulator',
          'UNSUPPORTED_ORDER_CONFIGURATION',
          'UNKNOWN_PREVIEW_FAILURE_REASON',
        );
      }
      return {
        cmd: hasQuote
          ? {
              ...base,
              type: 'MARKET',
              timeInForce: 'IOC',
              quantity: Quantity.zero(),
              quoteQuantity: decimalField(body, 'quote_size', fixed),
            }
          : {
              ...base,
              type: 'MARKET',
              timeInForce: 'IOC',
              quantity: decimalField(body, 'base_size', quantity),
            },
        endTime: undefined,
        postOnly: false,
      };
    }
    case 'sor_limit_ioc':
    case 'limit_limit_fok':
      return {
        cmd: {
          ...base,
          type: 'LIMIT',
          timeInForce: kind === 'sor_limit_ioc' ? 'IOC' : 'FOK',
          quantity: decimalField(body, 'base_size', quantity),
          price: decimalField(body, 'limit_price', price),
        },
        endTime: undefined,
        postOnly: false,
      };
    case 'limit_limit_gtc':
    case 'limit_limit_gtd': {
      const po = postOnly(body);
      return {
        cmd: {
          ...base,
          type: 'LIMIT',
          timeInForce: 'GTC',
          quantity: decimalField(body, 'base_size', quantity),
          price: decimalField(body, 'limit_price', price),
          postOnly: po,
        },
        endTime: kind === 'limit_limit_gtd' ? endTime(body, now) : undefined,
        postOnly: po,
      };
    }
    default: {
      const direction = body['stop_direction'];
      if (direction !== 'STOP_DIRECTION_STOP_UP' && direction !== 'STOP_DIRECTION_STOP_DOWN') {
        throw SimErrors.invalidArgument(
          'stop_direction must be STOP_DIRECTION_STOP_UP or STOP_DIRECTION_STOP_DOWN',
        );
      }
      return {
        cmd: {
          ...base,
          type: 'STOP_LIMIT',
          timeInForce: 'GTC',
          quantity: decimalField(body, 'base_size', quantity),
          price: decimalField(body, 'limit_price', price),
          stopPrice: decimalField(body, 'stop_price', price),
        },
        endTime: kind === 'stop_limit_stop_limit_gtd' ? endTime(body, now) : undefined,
        postOnly: false,
      };
    }
  }
}

function priceOnTick(value: Price, tick: Price): boolean {
  return value.roundTo(tick, RoundingMode.DOWN).eq(value);
}

function sizeOnStep(value: Quantity, step: Quantity): boolean {
  return value.roundTo(step, RoundingMode.DOWN).eq(value);
}

/** The engine's refusal as the venue's failure reasons. */
function refusal(
  result: Extract<SubmitResult, { accepted: false }>,
  cmd: SubmitOrder,
  product: SimProduct,
): Refusal {
  const unknown = 'UNKNOWN_FAILURE_REASON';
  switch (result.reason) {
    case 'INSUFFICIENT_BALANCE':
      return new Refusal(
        'INSUFFICIENT_FUND',
        'Insufficient balance in source account',
        'INSUFFICIENT_FUND',
        'PREVIEW_INSUFFICIENT_FUND',
      );
    case 'POST_ONLY_WOULD_TAKE':
      return new Refusal(
        'INVALID_LIMIT_PRICE_POST_ONLY',
        'Limit price would take liquidity on a post-only order',
        'INVALID_LIMIT_PRICE_POST_ONLY',
        'PREVIEW_INVALID_LIMIT_PRICE_POST_ONLY',
      );
    case 'PRICE_FILTER': {
      const p = cmd.price ?? cmd.stopPrice;
      return p !== undefined && !priceOnTick(p, product.spec.tickSize)
        ? new Refusal(
            'INVALID_PRICE_PRECISION',
            'Price has too many decimals',
            'INVALID_PRICE_PRECISION',
            'PREVIEW_INVALID_PRICE_PRECISION',
          )
        : new Refusal(
            'INVALID_LIMIT_PRICE',
            'Invalid limit price',
            'INVALID_LIMIT_PRICE',
            'PREVIEW_INVALID_LIMIT_PRICE',
          );
    }
    case 'LOT_SIZE':
      if (!sizeOnStep(cmd.quantity, product.spec.stepSize)) {
        return new Refusal(
          'INVALID_SIZE_PRECISION',
          'Size has too many decimals',
          'INVALID_SIZE_PRECISION',
          'PREVIEW_INVALID_SIZE_PRECISION',
        );
      }
      return cmd.quantity.lt(product.spec.minQty)
        ? new Refusal(
            'PREVIEW_INVALID_BASE_SIZE_TOO_SMALL',
            'Size is below the minimum',
            unknown,
            'PREVIEW_INVALID_BASE_SIZE_TOO_SMALL',
          )
        : new Refusal(
            'PREVIEW_INVALID_BASE_SIZE_TOO_LARGE',
            'Size is above the maximum',
            unknown,
            'PREVIEW_INVALID_BASE_SIZE_TOO_LARGE',
          );
    case 'MIN_NOTIONAL':
      return new Refusal(
        'PREVIEW_INVALID_QUOTE_SIZE_TOO_SMALL',
        'Order value is below the minimum',
        unknown,
        'PREVIEW_INVALID_QUOTE_SIZE_TOO_SMALL',
      );
    case 'NO_LIQUIDITY':
      return new Refusal(
        'INVALID_NO_LIQUIDITY',
        'No liquidity to fill the order',
        'INVALID_NO_LIQUIDITY',
        unknown,
      );
    case 'UNKNOWN_INSTRUMENT':
      return new Refusal('INVALID_PRODUCT_ID', 'Unknown product', 'INVALID_PRODUCT_ID', unknown);
    default:
      return new Refusal('INVALID_REQUEST', result.message, 'INVALID_REQUEST', unknown);
  }
}

function failure(r: Refusal, configuration: unknown): Record<string, unknown> {
  return {
    success: false,
    failure_reason: 'UNKNOWN_FAILURE_REASON',
    order_id: '',
    error_response: {
      error: r.error,
      message: r.message,
      error_details: '',
      preview_failure_reason: r.preview,
      new_order_failure_reason: r.newOrder,
    },
    order_configuration: configuration,
  };
}

function success(r: SimOrderRecord): Record<string, unknown> {
  return {
    success: true,
    failure_reason: 'UNKNOWN_FAILURE_REASON',
    order_id: r.orderId,
    success_response: {
      order_id: r.orderId,
      product_id: r.productId,
      side: r.side,
      client_order_id: r.clientOrderId,
    },
    order_configuration: { [r.kind]: r.configuration },
  };
}

/**
 * `POST /api/v3/brokerage/orders`. A client_order_id already used by the account returns that order
 * and places nothing (the venue's idempotency); refusals are HTTP 200 with `success: false`.
 */
export function createOrder(state: CoinbaseSimState, key: SimApiKey, raw: unknown): Record<string, unknown> {
  sweepExpired(state);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw SimErrors.invalidArgument('body must be a JSON object');
  const body = raw as Body;
  const clientOrderId = body['client_order_id'];
  if (typeof clientOrderId !== 'string' || clientOrderId.length === 0 || clientOrderId.length > 128) {
    throw SimErrors.invalidArgument('client_order_id is required');
  }
  const k = clientKey(key.accountId, clientOrderId);
  const existing = state.byClientId.get(k);
  if (existing !== undefined) return success(existing);
  const configuration = body['order_configuration'];
  const productId = body['product_id'];
  const product = typeof productId === 'string' ? state.products.get(productId) : undefined;
  if (product === undefined || typeof productId !== 'string') {
    return failure(
      new Refusal(
        'INVALID_PRODUCT_ID',
        'Unknown product',
        'INVALID_PRODUCT_ID',
        'UNKNOWN_PREVIEW_FAILURE_REASON',
      ),
      configuration,
    );
  }
  const side = body['side'];
  if (side !== 'BUY' && side !== 'SELL') {
    return failure(
      new Refusal(
        'INVALID_SIDE',
        'side must be BUY or SELL',
        'INVALID_SIDE',
        'UNKNOWN_PREVIEW_FAILURE_REASON',
      ),
      configuration,
    );
  }
  const config = typeof configuration === 'object' && configuration !== null ? (configuration as Body) : {};
  const kinds = Object.keys(config).filter((c) => config[c] !== null && config[c] !== undefined);
  const kind = kinds[0];
  const inner = kind === undefined ? undefined : config[kind];
  if (
    kinds.length !== 1 ||
    kind === undefined ||
    !KINDS.includes(kind) ||
    typeof inner !== 'object' ||
    inner === null
  ) {
    return failure(
      new Refusal(
        'UNSUPPORTED_ORDER_CONFIGURATION',
        'order_configuration must hold exactly one supported configuration',
        'UNSUPPORTED_ORDER_CONFIGURATION',
        'UNKNOWN_PREVIEW_FAILURE_REASON',
      ),
      configuration,
    );
  }
  const now = state.now();
  let built: ReturnType<typeof command>;
  try {
    built = command(kind, inner as Body, { clientOrderId, instrumentId: productId, side }, now);
  } catch (error) {
    if (error instanceof Refusal) return failure(error, configuration);
    throw error;
  }
  const record: SimOrderRecord = {
    orderId: state.newUuid(),
    accountId: key.accountId,
    clientOrderId,
    productId,
    side,
    kind,
    configuration: inner as Body,
    postOnly: built.postOnly,
    createdAt: now,
    endTime: built.endTime,
    last: undefined,
    closedStatus: undefined,
    expired: false,
    fills: [],
  };
  // Registered before submitting: the engine's events for this order are delivered during submit.
  state.byClientId.set(k, record);
  const result = state.engine.submit(key.accountId, built.cmd);
  if (!result.accepted) {
    if (result.reason === 'FOK_NOT_FILLABLE') {
      // The venue takes a fill-or-kill order and kills it: it exists, cancelled, with nothing filled.
      record.closedStatus = 'CANCELLED';
    } else {
      state.byClientId.delete(k);
      return failure(refusal(result, built.cmd, product), configuration);
    }
  } else {
    record.last = result.order;
  }
  state.orders.set(record.orderId, record);
  state.accepted.set(k, (state.accepted.get(k) ?? 0) + 1);
  if (record.last === undefined) keepKilled(state, record);
  else if (record.endTime !== undefined) state.gtdOpen.add(record);
  return success(record);
}
