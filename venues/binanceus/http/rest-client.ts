import type { RequestParams } from '../common/signing.ts';
import { parseDepthSnapshot } from '../common/parse-market-data.ts';
import type { DepthSnapshot } from '../common/market-data.ts';
import { parseExchangeInfo } from '../common/parse-exchange-info.ts';
import type { BinanceUsExchangeInfo } from '../common/symbol-info.ts';
import { MalformedPayloadError } from '../common/parse-error.ts';
import { BinanceUsRestTransport } from './client.ts';
import type { BinanceUsRestOptions } from './client.ts';
import type {
  AccountInfo,
  AccountTrade,
  CancelOrderRequest,
  NewOrderRequest,
  NewOrderResponse,
  OrderRef,
  OrderState,
} from './models.ts';
import {
  parseAccount,
  parseAccountTrades,
  parseNewOrderResponse,
  parseOrderList,
  parseOrderState,
} from './parse-responses.ts';

interface CallContext {
  readonly correlationId?: string;
}

function depthWeight(limit: number): number {
  if (limit <= 100) return 1;
  if (limit <= 500) return 5;
  if (limit <= 1000) return 10;
  return 50;
}

function orderParams(order: NewOrderRequest): RequestParams {
  const p: Array<readonly [string, string]> = [
    ['symbol', order.symbol],
    ['side', order.side],
    ['type', order.type],
  ];
  if (order.timeInForce !== undefined) p.push(['timeInForce', order.timeInForce]);
  if (order.quantity !== undefined) p.push(['quantity', order.quantity.toString()]);
  if (order.quoteOrderQty !== undefined) p.push(['quoteOrderQty', order.quoteOrderQty.toString()]);
  if (order.price !== undefined) p.push(['price', order.price.toString()]);
  if (order.newClientOrderId !== undefined) p.push(['newClientOrderId', order.newClientOrderId]);
  if (order.stopPrice !== undefined) p.push(['stopPrice', order.stopPrice.toString()]);
  if (order.trailingDelta !== undefined) p.push(['trailingDelta', String(order.trailingDelta)]);
  if (order.icebergQty !== undefined) p.push(['icebergQty', order.icebergQty.toString()]);
  if (order.newOrderRespType !== undefined) p.push(['newOrderRespType', order.newOrderRespType]);
  if (order.selfTradePreventionMode !== undefined) {
    p.push(['selfTradePreventionMode', order.selfTradePreventionMode]);
  }
  return p;
}

function refParams(ref: OrderRef): Array<readonly [string, string]> {
  const p: Array<readonly [string, string]> = [['symbol', ref.symbol]];
  if (ref.orderId !== undefined) p.push(['orderId', String(ref.orderId)]);
  if (ref.origClientOrderId !== undefined) p.push(['origClientOrderId', ref.origClientOrderId]);
  return p;
}

function ctx(context: CallContext): { correlationId?: string } {
  return context.correlationId === undefined ? {} : { correlationId: context.correlationId };
}

/** The Binance.US REST API: one typed method per documented endpoint, exact decimals in and out. */
export class BinanceUsRestClient {
  readonly transport: BinanceUsRestTransport;

  constructor(options: BinanceUsRestOptions) {
    this.transport = new BinanceUsRestTransport(options);
  }

  async ping(): Promise<void> {
    await this.transport.request({ method: 'GET', path: '/api/v3/ping', security: 'NONE', weight: 1 });
  }

  async serverTime(): Promise<number> {
    const body = await this.transport.request({
      method: 'GET',
      path: '/api/v3/time',
      security: 'NONE',
      weight: 1,
    });
    const time = (body as { serverTime?: unknown }).serverTime;
    if (typeof time !== 'number') throw new MalformedPayloadError('time', 'serverTime', 'expected a number');
    return time;
  }

  async exchangeInfo(symbols?: readonly string[]): Promise<BinanceUsExchangeInfo> {
    const params: RequestParams = symbols === undefined ? [] : [['symbols', JSON.stringify(symbols)]];
    const body = await this.transport.request({
      method: 'GET',
      path: '/api/v3/exchangeInfo',
      params,
      security: 'NONE',
      weight: 10,
    });
    return parseExchangeInfo(body);
  }

  async depth(symbol: string, limit = 1000): Promise<DepthSnapshot> {
    const body = await this.transport.request({
      method: 'GET',
      path: '/api/v3/depth',
      params: [
        ['symbol', symbol],
        ['limit', String(limit)],
      ],
      security: 'NONE',
      weight: depthWeight(limit),
    });
    return parseDepthSnapshot(body);
  }

  /** `POST /api/v3/order`. A BinanceUsUnknownOutcomeError means: query before doing anything else. */
  async newOrder(order: NewOrderRequest, context: CallContext = {}): Promise<NewOrderResponse> {
    const body = await this.transport.request({
      method: 'POST',
      path: '/api/v3/order',
      params: orderParams(order),
      security: 'SIGNED',
      weight: 1,
      ...ctx(context),
    });
    return parseNewOrderResponse(body);
  }

  /** `POST /api/v3/order/test`: validates without placing. */
  async testOrder(order: NewOrderRequest, context: CallContext = {}): Promise<void> {
    await this.transport.request({
      method: 'POST',
      path: '/api/v3/order/test',
      params: orderParams(order),
      security: 'SIGNED',
      weight: 1,
      ...ctx(context),
    });
  }

  async queryOrder(ref: OrderRef, context: CallContext = {}): Promise<OrderState> {
    const body = await this.transport.request({
      method: 'GET',
      path: '/api/v3/order',
      params: refParams(ref),
      security: 'SIGNED',
      weight: 2,
      ...ctx(context),
    });
    return parseOrderState(body, 'queryOrder');
  }

  async cancelOrder(request: CancelOrderRequest, context: CallContext = {}): Promise<OrderState> {
    const params = refParams(request);
    if (request.newClientOrderId !== undefined) params.push(['newClientOrderId', request.newClientOrderId]);
    if (request.cancelRestrictions !== undefined)
      params.push(['cancelRestrictions', request.cancelRestrictions]);
    const body = await this.transport.request({
      method: 'DELETE',
      path: '/api/v3/order',
      params,
      security: 'SIGNED',
      weight: 1,
      ...ctx(context),
    });
    return parseOrderState(body, 'cancelOrder');
  }

  async openOrders(symbol?: string, context: CallContext = {}): Promise<OrderState[]> {
    const body = await this.transport.request({
      method: 'GET',
      path: '/api/v3/openOrders',
      params: symbol === undefined ? [] : [['symbol', symbol]],
      security: 'SIGNED',
      weight: symbol === undefined ? 40 : 3,
      ...ctx(context),
    });
    return parseOrderList(body, 'openOrders');
  }

  /** `DELETE /api/v3/openOrders`: cancels every open order on `symbol`. */
  async cancelAllOrders(symbol: string, context: CallContext = {}): Promise<OrderState[]> {
    const body = await this.transport.request({
      method: 'DELETE',
      path: '/api/v3/openOrders',
      params: [['symbol', symbol]],
      security: 'SIGNED',
      weight: 1,
      ...ctx(context),
    });
    return parseOrderList(body, 'cancelAllOrders');
  }

  async account(context: CallContext = {}): Promise<AccountInfo> {
    const body = await this.transport.request({
      method: 'GET',
      path: '/api/v3/account',
      security: 'SIGNED',
      weight: 10,
      ...ctx(context),
    });
    return parseAccount(body);
  }

  /** `GET /api/v3/myTrades` of one order (weight 10). */
  async myTrades(symbol: string, orderId: number, context: CallContext = {}): Promise<AccountTrade[]> {
    const body = await this.transport.request({
      method: 'GET',
      path: '/api/v3/myTrades',
      params: [
        ['symbol', symbol],
        ['orderId', String(orderId)],
      ],
      security: 'SIGNED',
      weight: 10,
      ...ctx(context),
    });
    return parseAccountTrades(body);
  }

  async createListenKey(): Promise<string> {
    const body = await this.transport.request({
      method: 'POST',
      path: '/api/v3/userDataStream',
      security: 'API_KEY',
      weight: 1,
    });
    const key = (body as { listenKey?: unknown }).listenKey;
    if (typeof key !== 'string')
      throw new MalformedPayloadError('userDataStream', 'listenKey', 'expected a string');
    return key;
  }

  async keepAliveListenKey(listenKey: string): Promise<void> {
    await this.transport.request({
      method: 'PUT',
      path: '/api/v3/userDataStream',
      params: [['listenKey', listenKey]],
      security: 'API_KEY',
      weight: 1,
    });
  }

  async closeListenKey(listenKey: string): Promise<void> {
    await this.transport.request({
      method: 'DELETE',
      path: '/api/v3/userDataStream',
      params: [['listenKey', listenKey]],
      security: 'API_KEY',
      weight: 1,
    });
  }
}
