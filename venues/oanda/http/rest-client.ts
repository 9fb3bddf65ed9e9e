import { InvalidArgumentError } from '../../../domain/errors.ts';
import { asObject, id } from '../common/parse-fields.ts';
import type { OandaInstrumentInfo } from '../common/instrument-info.ts';
import type { OandaOrder } from '../common/order.ts';
import { parseInstruments } from '../common/parse-instrument.ts';
import { parseOrder, parseOrderList } from '../common/parse-order.ts';
import { parsePriceObject } from '../common/parse-price.ts';
import { parseTransaction, parseTransactionList } from '../common/parse-transaction.ts';
import type { OandaPrice } from '../common/price-line.ts';
import type { OandaTransaction, OrderCancelTransaction } from '../common/transaction.ts';
import { OandaRestTransport } from './client.ts';
import type { OandaRestOptions } from './client.ts';
import { OandaNotFoundError, OandaOrderRejectedError } from './error.ts';
import type { OandaAccountSummary, OandaOrderCreateResult, OandaOrderSpec } from './models.ts';
import { parseAccountSummary, parseOrderCreateResponse } from './parse-responses.ts';

export interface OandaCallOptions {
  readonly correlationId?: string;
  readonly signal?: AbortSignal;
}

const CLIENT_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** `@<clientExtensions.id>` or an order id: the orderSpecifier of the order endpoints. */
export function orderSpecifier(ref: { readonly orderId?: string; readonly clientOrderId?: string }): string {
  if (ref.orderId !== undefined) return ref.orderId;
  if (ref.clientOrderId === undefined || !CLIENT_ID.test(ref.clientOrderId)) {
    throw new InvalidArgumentError('clientOrderId', 'an order needs an id or a path-safe client order id');
  }
  return `@${ref.clientOrderId}`;
}

/** The v20 REST endpoints the connector uses, decoded into domain values. */
export class OandaRestClient {
  readonly transport: OandaRestTransport;

  constructor(options: OandaRestOptions) {
    this.transport = new OandaRestTransport(options);
  }

  get #account(): string {
    return this.transport.accountPath;
  }

  async instruments(options: OandaCallOptions = {}): Promise<OandaInstrumentInfo[]> {
    const body = await this.transport.request({
      method: 'GET',
      path: `${this.#account}/instruments`,
      route: '/instruments',
      ...options,
    });
    return parseInstruments(body);
  }

  async accountSummary(options: OandaCallOptions = {}): Promise<OandaAccountSummary> {
    const body = await this.transport.request({
      method: 'GET',
      path: `${this.#account}/summary`,
      route: '/summary',
      ...options,
    });
    return parseAccountSummary(body);
  }

  /** POST .../orders. A venue reject (400/404 with orderRejectTransaction) is a result, not an error. */
  async createOrder(spec: OandaOrderSpec, options: OandaCallOptions = {}): Promise<OandaOrderCreateResult> {
    const order: Record<string, unknown> = {
      type: spec.type,
      instrument: spec.instrument,
      units: spec.units,
      timeInForce: spec.timeInForce,
      positionFill: spec.positionFill ?? 'DEFAULT',
      clientExtensions: { id: spec.clientOrderId },
    };
    if (spec.price !== undefined) order['price'] = spec.price;
    if (spec.priceBound !== undefined) order['priceBound'] = spec.priceBound;
    if (spec.gtdTime !== undefined) order['gtdTime'] = spec.gtdTime;
    try {
      const body = await this.transport.request({
        method: 'POST',
        path: `${this.#account}/orders`,
        route: '/orders',
        body: { order },
        ...options,
      });
      return parseOrderCreateResponse(body);
    } catch (error) {
      if (error instanceof OandaOrderRejectedError) return parseOrderCreateResponse(error.body);
      throw error;
    }
  }

  /** PUT .../orders/{specifier}/cancel; a cancel reject surfaces as OandaOrderRejectedError. */
  async cancelOrder(specifier: string, options: OandaCallOptions = {}): Promise<OrderCancelTransaction> {
    const body = await this.transport.request({
      method: 'PUT',
      path: `${this.#account}/orders/${encodeURIComponent(specifier)}/cancel`,
      route: '/orders/{specifier}/cancel',
      ...options,
    });
    const t = parseTransaction(asObject(body, 'cancel')['orderCancelTransaction']);
    if (t.kind !== 'cancel') throw new InvalidArgumentError('orderCancelTransaction', `unexpected ${t.type}`);
    return t;
  }

  /** GET .../orders/{specifier}; undefined when the venue has no such order (404). */
  async getOrder(specifier: string, options: OandaCallOptions = {}): Promise<OandaOrder | undefined> {
    try {
      const body = await this.transport.request({
        method: 'GET',
        path: `${this.#account}/orders/${encodeURIComponent(specifier)}`,
        route: '/orders/{specifier}',
        ...options,
      });
      return parseOrder(asObject(body, 'order')['order']);
    } catch (error) {
      if (error instanceof OandaNotFoundError) return undefined;
      throw error;
    }
  }

  /** GET .../orders with `state` (default PENDING), `instrument`, `count` (≤ 500). */
  async listOrders(
    query: { state?: string; instrument?: string; count?: number } = {},
    options: OandaCallOptions = {},
  ): Promise<OandaOrder[]> {
    const q: Record<string, string> = {};
    if (query.state !== undefined) q['state'] = query.state;
    if (query.instrument !== undefined) q['instrument'] = query.instrument;
    if (query.count !== undefined) q['count'] = String(query.count);
    const body = await this.transport.request({
      method: 'GET',
      path: `${this.#account}/orders`,
      route: '/orders',
      query: q,
      ...options,
    });
    return parseOrderList(asObject(body, 'orders')['orders'], 'orders');
  }

  async pendingOrders(options: OandaCallOptions = {}): Promise<OandaOrder[]> {
    const body = await this.transport.request({
      method: 'GET',
      path: `${this.#account}/pendingOrders`,
      route: '/pendingOrders',
      ...options,
    });
    return parseOrderList(asObject(body, 'orders')['orders'], 'orders');
  }

  /** GET .../transactions/sinceid?id= : every transaction after `sinceId`, oldest first. */
  async transactionsSince(
    sinceId: string,
    types: readonly string[] = [],
    options: OandaCallOptions = {},
  ): Promise<{ transactions: OandaTransaction[]; lastTransactionId: string }> {
    const query: Record<string, string> = { id: sinceId };
    if (types.length > 0) query['type'] = types.join(',');
    const body = await this.transport.request({
      method: 'GET',
      path: `${this.#account}/transactions/sinceid`,
      route: '/transactions/sinceid',
      query,
      ...options,
    });
    const o = asObject(body, 'sinceid');
    return {
      transactions: parseTransactionList(o['transactions'], 'transactions'),
      lastTransactionId: id(o, 'lastTransactionID', 'sinceid'),
    };
  }

  /** GET .../pricing?instruments= : the current price of each instrument. */
  async pricing(instruments: readonly string[], options: OandaCallOptions = {}): Promise<OandaPrice[]> {
    const body = await this.transport.request({
      method: 'GET',
      path: `${this.#account}/pricing`,
      route: '/pricing',
      query: { instruments: instruments.join(',') },
      ...options,
    });
    const prices = asObject(body, 'pricing')['prices'];
    if (!Array.isArray(prices)) throw new InvalidArgumentError('pricing.prices', 'expected an array');
    return prices.map((p: unknown) => parsePriceObject(asObject(p, 'price')));
  }
}
