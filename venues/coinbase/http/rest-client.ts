import { asArray, asObject } from '../common/parse-fields.ts';
import { parseProduct } from '../common/parse-product.ts';
import type { CoinbaseProduct } from '../common/parse-product.ts';
import { CoinbaseRestTransport } from './client.ts';
import type { CoinbaseRestOptions } from './client.ts';
import { configurationToWire } from './order-configuration.ts';
import type {
  AccountPage,
  CancelResult,
  CoinbaseOrder,
  CreateOrderRequest,
  CreateOrderResponse,
  FillPage,
  OrderPage,
  PriceBook,
} from './models.ts';
import {
  parseAccountPage,
  parseCancelResults,
  parseCreateOrderResponse,
  parseFillPage,
  parseGetOrder,
  parseOrderPage,
  parsePriceBook,
} from './parse-responses.ts';

export interface CallContext {
  readonly correlationId?: string | undefined;
  readonly signal?: AbortSignal | undefined;
}

export interface ListOrdersQuery {
  readonly productIds?: readonly string[];
  readonly orderStatus?: readonly string[];
  /** Epoch milliseconds; orders created at or after. */
  readonly startDate?: number;
  readonly limit?: number;
  readonly cursor?: string;
}

export interface ListFillsQuery {
  readonly orderIds?: readonly string[];
  readonly productIds?: readonly string[];
  readonly limit?: number;
  readonly cursor?: string;
}

type Query = Array<readonly [string, string]>;

/** The Advanced Trade REST API: one typed method per documented endpoint, exact decimals in and out. */
export class CoinbaseRestClient {
  readonly transport: CoinbaseRestTransport;

  constructor(options: CoinbaseRestOptions) {
    this.transport = new CoinbaseRestTransport(options);
  }

  async products(context: CallContext = {}): Promise<CoinbaseProduct[]> {
    const body = await this.#get('/products', '/products', [], context);
    return asArray(asObject(body, 'products')['products'], 'products', 'products').map(parseProduct);
  }

  async product(productId: string, context: CallContext = {}): Promise<CoinbaseProduct> {
    return parseProduct(
      await this.#get(`/products/${encodeURIComponent(productId)}`, '/products/{id}', [], context),
    );
  }

  async productBook(productId: string, limit: number, context: CallContext = {}): Promise<PriceBook> {
    const body = await this.#get(
      '/product_book',
      '/product_book',
      [
        ['product_id', productId],
        ['limit', String(limit)],
      ],
      context,
    );
    return parsePriceBook(body);
  }

  async accounts(cursor?: string, context: CallContext = {}): Promise<AccountPage> {
    const query: Query = [['limit', '250']];
    if (cursor !== undefined && cursor.length > 0) query.push(['cursor', cursor]);
    return parseAccountPage(await this.#get('/accounts', '/accounts', query, context));
  }

  /**
   * `POST /orders`. A rejection is a normal answer (`success: false` with the venue's reason); a
   * CoinbaseUnknownOutcomeError means: query by client_order_id before doing anything else.
   */
  async createOrder(order: CreateOrderRequest, context: CallContext = {}): Promise<CreateOrderResponse> {
    const body = await this.transport.request({
      method: 'POST',
      path: '/orders',
      route: '/orders',
      body: {
        client_order_id: order.clientOrderId,
        product_id: order.productId,
        side: order.side,
        order_configuration: configurationToWire(order.configuration),
      },
      write: true,
      correlationId: context.correlationId,
      signal: context.signal,
    });
    return parseCreateOrderResponse(body);
  }

  async cancelOrders(orderIds: readonly string[], context: CallContext = {}): Promise<CancelResult[]> {
    const body = await this.transport.request({
      method: 'POST',
      path: '/orders/batch_cancel',
      route: '/orders/batch_cancel',
      body: { order_ids: orderIds },
      write: true,
      correlationId: context.correlationId,
      signal: context.signal,
    });
    return parseCancelResults(body);
  }

  async getOrder(orderId: string, context: CallContext = {}): Promise<CoinbaseOrder> {
    const path = `/orders/historical/${encodeURIComponent(orderId)}`;
    return parseGetOrder(await this.#get(path, '/orders/historical/{id}', [], context));
  }

  async listOrders(q: ListOrdersQuery, context: CallContext = {}): Promise<OrderPage> {
    const query: Query = [];
    for (const id of q.productIds ?? []) query.push(['product_ids', id]);
    for (const s of q.orderStatus ?? []) query.push(['order_status', s]);
    if (q.startDate !== undefined) query.push(['start_date', new Date(q.startDate).toISOString()]);
    if (q.limit !== undefined) query.push(['limit', String(q.limit)]);
    if (q.cursor !== undefined && q.cursor.length > 0) query.push(['cursor', q.cursor]);
    return parseOrderPage(
      await this.#get('/orders/historical/batch', '/orders/historical/batch', query, context),
    );
  }

  async listFills(q: ListFillsQuery, context: CallContext = {}): Promise<FillPage> {
    const query: Query = [];
    for (const id of q.orderIds ?? []) query.push(['order_ids', id]);
    for (const id of q.productIds ?? []) query.push(['product_ids', id]);
    if (q.limit !== undefined) query.push(['limit', String(q.limit)]);
    if (q.cursor !== undefined && q.cursor.length > 0) query.push(['cursor', q.cursor]);
    return parseFillPage(
      await this.#get('/orders/historical/fills', '/orders/historical/fills', query, context),
    );
  }

  #get(path: string, route: string, query: Query, context: CallContext): Promise<unknown> {
    return this.transport.request({
      method: 'GET',
      path,
      route,
      query,
      write: false,
      correlationId: context.correlationId,
      signal: context.signal,
    });
  }
}
