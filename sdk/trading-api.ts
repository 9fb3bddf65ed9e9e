import {
  InternalError,
  InvalidArgumentError,
  newClientOrderId,
  parseClientOrderId,
  TradingServiceService,
} from './internal.ts';
import type { PlaceOrderRequest } from './internal.ts';
import {
  fillOut,
  orderOut,
  requiredOrderOut,
  sideCodec,
  statusCodec,
  timeInForceCodec,
  typeCodec,
} from './convert-messages.ts';
import {
  decimalIn,
  decimalOut,
  instrumentIn,
  instrumentOut,
  optionalDecimalIn,
  timestampIn,
  timestampOut,
} from './convert-values.ts';
import type { GatewayConnection } from './gateway-connection.ts';
import { Idempotency } from './retry-policy.ts';
import type {
  DecimalString,
  InstrumentId,
  InstrumentInput,
  ListOrdersInput,
  Order,
  OrderPage,
  OrderRef,
  OrderSide,
  OrderUpdate,
  PlaceOrderInput,
  Unrecognized,
} from './types.ts';

const READ = { authenticated: true, idempotency: Idempotency.IDEMPOTENT } as const;

/** TradingService: orders on the caller's own accounts. */
export class TradingApi {
  constructor(
    private readonly connection: GatewayConnection,
    private readonly assignClientOrderIds: boolean,
  ) {}

  /**
   * Places an order. The request always leaves with a client order id (the caller's, or one the SDK
   * assigns unless `assignClientOrderIds: false`), so a retry after a lost answer returns the same
   * order instead of placing a second one. Without an id, PlaceOrder is never retried.
   */
  async placeOrder(input: PlaceOrderInput): Promise<Order> {
    const request = placeOrderRequest(input, this.assignClientOrderIds);
    const response = await this.connection.unary(TradingServiceService.placeOrder, request, {
      authenticated: true,
      idempotency: request.clientOrderId === '' ? Idempotency.NEVER : Idempotency.IDEMPOTENT,
    });
    return requiredOrderOut(response.order, 'PlaceOrder');
  }

  /**
   * Smart order routing: takes `quantity` of a market (base/quote assets) over the caller's accounts
   * on the venues listing it, split by book liquidity net of taker fees. The plan is recorded
   * before any child order is sent; each leg is an IOC limit order. The request always carries a
   * plan id (the caller's or a fresh one), so a retry after a lost answer replays the same plan and
   * its children instead of routing twice.
   */
  async routeOrder(input: RouteOrderInput): Promise<RouteOrderResult> {
    const request = routeOrderRequest(input);
    const response = await this.connection.unary(TradingServiceService.routeOrder, request, READ);
    const plan = response.plan;
    if (plan === undefined) throw new InternalError('RouteOrder answered without a plan');
    return {
      created: response.created,
      plan: {
        planId: plan.planId,
        baseAsset: plan.baseAsset,
        quoteAsset: plan.quoteAsset,
        side: sideCodec.fromProto(plan.side),
        requestedQuantity: decimalOut(plan.requestedQuantity),
        limitPrice: decimalOut(plan.limitPrice),
        legs: plan.legs.map((leg) => ({
          index: leg.index,
          accountId: leg.accountId,
          instrumentId: instrumentOut(leg.instrumentId),
          clientOrderId: leg.clientOrderId,
          quantity: decimalOut(leg.quantity),
          limitPrice: decimalOut(leg.limitPrice),
          expectedNotional: decimalOut(leg.expectedNotional),
          expectedFee: decimalOut(leg.expectedFee),
        })),
        plannedQuantity: decimalOut(plan.plannedQuantity),
        unfilledQuantity: decimalOut(plan.unfilledQuantity),
        unfilledReason: plan.unfilledReason === '' ? undefined : plan.unfilledReason,
        expectedAveragePrice: decimalOut(plan.expectedAveragePrice),
        expectedNotional: decimalOut(plan.expectedNotional),
        expectedFees: decimalOut(plan.expectedFees),
        skipped: plan.skipped.map((s) => ({ venue: s.venue, reason: s.reason })),
        createTime: timestampOut(plan.createTime),
      },
      children: response.children.map((child) => ({
        legIndex: child.legIndex,
        order: child.order === undefined ? undefined : orderOut(child.order),
        error: child.errorCode === '' ? undefined : { code: child.errorCode, message: child.errorMessage },
      })),
    };
  }

  /** Requests cancellation; the answer is the order as known now (usually PENDING_CANCEL). */
  async cancelOrder(accountId: string, ref: OrderRef): Promise<Order> {
    const response = await this.connection.unary(
      TradingServiceService.cancelOrder,
      { accountId, ...orderRefIn(ref) },
      READ,
    );
    return requiredOrderOut(response.order, 'CancelOrder');
  }

  /** Requests cancellation of every open order of the account (optionally of one instrument). */
  async cancelAllOrders(accountId: string, instrumentId?: InstrumentInput): Promise<Order[]> {
    const response = await this.connection.unary(
      TradingServiceService.cancelAllOrders,
      { accountId, instrumentId: instrumentId === undefined ? undefined : instrumentIn(instrumentId) },
      READ,
    );
    return response.orders.map((order) => orderOut(order));
  }

  async getOrder(accountId: string, ref: OrderRef): Promise<Order> {
    const response = await this.connection.unary(
      TradingServiceService.getOrder,
      { accountId, ...orderRefIn(ref) },
      READ,
    );
    return requiredOrderOut(response.order, 'GetOrder');
  }

  /** One page of orders, newest first. */
  async listOrders(input: ListOrdersInput): Promise<OrderPage> {
    const response = await this.connection.unary(
      TradingServiceService.listOrders,
      {
        accountId: input.accountId,
        instrumentId: input.instrumentId === undefined ? undefined : instrumentIn(input.instrumentId),
        statuses: (input.statuses ?? []).map((s, i) => statusCodec.toProto(s, `statuses[${String(i)}]`)),
        pageSize: input.pageSize ?? 0,
        pageToken: input.pageToken ?? '',
      },
      READ,
    );
    return {
      orders: response.orders.map((order) => orderOut(order)),
      nextPageToken: response.nextPageToken === '' ? undefined : response.nextPageToken,
    };
  }

  /** Every order of the account (all pages), newest first. */
  async *allOrders(input: Omit<ListOrdersInput, 'pageToken'>): AsyncGenerator<Order, void, undefined> {
    let pageToken: string | undefined;
    do {
      const page = await this.listOrders(pageToken === undefined ? input : { ...input, pageToken });
      yield* page.orders;
      pageToken = page.nextPageToken;
    } while (pageToken !== undefined);
  }

  /**
   * Every change of the account's orders and every fill, from now on; reconnects after a broken
   * connection (changes while disconnected are not replayed: pass `onReconnect` in the client's
   * streamResume options and reconcile with listOrders).
   */
  orderUpdates(accountId: string, signal?: AbortSignal): AsyncGenerator<OrderUpdate, void, undefined> {
    return this.connection.stream(
      TradingServiceService.streamOrderUpdates,
      { accountId },
      (message): OrderUpdate => ({
        order: message.order === undefined ? undefined : orderOut(message.order),
        fill: message.fill === undefined ? undefined : fillOut(message.fill),
      }),
      signal,
    );
  }
}

function orderRefIn(ref: OrderRef): { orderId: string; clientOrderId: string } {
  if ('orderId' in ref) return { orderId: ref.orderId, clientOrderId: '' };
  return { orderId: '', clientOrderId: ref.clientOrderId };
}

/** The wire request, checked field by field so that bad input fails before it is sent. */
export function placeOrderRequest(input: PlaceOrderInput, assignClientOrderId: boolean): PlaceOrderRequest {
  if (input.accountId.length === 0) throw new InvalidArgumentError('account_id', 'must not be empty');
  const clientOrderId =
    input.clientOrderId !== undefined
      ? parseClientOrderId(input.clientOrderId, 'client_order_id')
      : assignClientOrderId
        ? newClientOrderId()
        : '';
  return {
    accountId: input.accountId,
    instrumentId: instrumentIn(input.instrumentId),
    side: sideCodec.toProto(input.side, 'side'),
    type: typeCodec.toProto(input.type, 'type'),
    timeInForce:
      input.timeInForce === undefined ? 0 : timeInForceCodec.toProto(input.timeInForce, 'time_in_force'),
    quantity: decimalIn(input.quantity, 'quantity'),
    price: optionalDecimalIn(input.price, 'price'),
    stopPrice: optionalDecimalIn(input.stopPrice, 'stop_price'),
    postOnly: input.postOnly ?? false,
    reduceOnly: input.reduceOnly ?? false,
    expireTime: input.expireTime === undefined ? undefined : timestampIn(input.expireTime, 'expire_time'),
    clientOrderId,
  };
}

export interface RouteOrderInput {
  /** The route's idempotency key (a UUID); the SDK assigns one when absent. */
  readonly planId?: string;
  /** e.g. "BTC". */
  readonly baseAsset: string;
  /** e.g. "USD". */
  readonly quoteAsset: string;
  readonly side: OrderSide;
  readonly quantity: DecimalString;
  /** Worst level price acceptable. */
  readonly limitPrice?: DecimalString;
  /** Accounts to route over (one per venue); default: all of the caller's on venues listing the market. */
  readonly accountIds?: readonly string[];
}

export interface RouteLeg {
  readonly index: number;
  readonly accountId: string;
  readonly instrumentId: InstrumentId | undefined;
  readonly clientOrderId: string;
  readonly quantity: DecimalString | undefined;
  readonly limitPrice: DecimalString | undefined;
  readonly expectedNotional: DecimalString | undefined;
  readonly expectedFee: DecimalString | undefined;
}

export interface RoutePlan {
  readonly planId: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly side: OrderSide | Unrecognized;
  readonly requestedQuantity: DecimalString | undefined;
  readonly limitPrice: DecimalString | undefined;
  readonly legs: readonly RouteLeg[];
  readonly plannedQuantity: DecimalString | undefined;
  readonly unfilledQuantity: DecimalString | undefined;
  /** INSUFFICIENT_LIQUIDITY, LIMIT_PRICE or VENUE_RULES when part of the quantity has no leg. */
  readonly unfilledReason: string | undefined;
  readonly expectedAveragePrice: DecimalString | undefined;
  readonly expectedNotional: DecimalString | undefined;
  readonly expectedFees: DecimalString | undefined;
  readonly skipped: readonly { readonly venue: string; readonly reason: string }[];
  readonly createTime: Date | undefined;
}

export interface RouteOrderResult {
  /** False when the plan id was already recorded: its children were replayed. */
  readonly created: boolean;
  readonly plan: RoutePlan;
  /** One per leg: the order, or why placing it failed (gRPC status name and message). */
  readonly children: readonly {
    readonly legIndex: number;
    readonly order: Order | undefined;
    readonly error: { readonly code: string; readonly message: string } | undefined;
  }[];
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** The wire request, checked before it is sent; always with a plan id so that retries are safe. */
export function routeOrderRequest(input: RouteOrderInput) {
  const planId = input.planId ?? globalThis.crypto.randomUUID();
  if (!UUID.test(planId)) throw new InvalidArgumentError('plan_id', 'must be a UUID');
  if (input.baseAsset.length === 0) throw new InvalidArgumentError('base_asset', 'must not be empty');
  if (input.quoteAsset.length === 0) throw new InvalidArgumentError('quote_asset', 'must not be empty');
  return {
    planId,
    baseAsset: input.baseAsset,
    quoteAsset: input.quoteAsset,
    side: sideCodec.toProto(input.side, 'side'),
    quantity: decimalIn(input.quantity, 'quantity'),
    limitPrice: optionalDecimalIn(input.limitPrice, 'limit_price'),
    accountIds: [...(input.accountIds ?? [])],
  };
}
