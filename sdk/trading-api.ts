import {
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
import { decimalIn, instrumentIn, optionalDecimalIn, timestampIn } from './convert-values.ts';
import type { GatewayConnection } from './gateway-connection.ts';
import { Idempotency } from './retry-policy.ts';
import type {
  InstrumentInput,
  ListOrdersInput,
  Order,
  OrderPage,
  OrderRef,
  OrderUpdate,
  PlaceOrderInput,
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
