import type { BookCommand, TopOfBookWire } from '../book/index.ts';
import { OrdersRequest } from '../orders/index.ts';
import type { PlaceOrderRequest } from '../orders/index.ts';
import type { ClusterNode } from '../../cluster/index.ts';
import type { InstrumentId, Order } from '../../domain/index.ts';

/**
 * How strategies reach the rest of the cluster: orders only through `orders/<accountId>` (the same
 * order manager and risk checks as any client), market data from `book/<venue>/<symbol>`.
 */
export interface StrategyPorts {
  place(accountId: string, request: PlaceOrderRequest): Promise<Order>;
  cancelReplace(accountId: string, clientOrderId: string, replacement: PlaceOrderRequest): Promise<Order>;
  cancel(accountId: string, clientOrderId: string): Promise<Order>;
  cancelAll(accountId: string, instrumentId: InstrumentId): Promise<number>;
  get(accountId: string, clientOrderId: string): Promise<Order | undefined>;
  top(book: string): Promise<TopOfBookWire>;
}

/** StrategyPorts over a cluster node's requests, each with `timeoutMs`. */
export function clusterStrategyPorts(
  cluster: Pick<ClusterNode, 'request'>,
  timeoutMs = 3_000,
): StrategyPorts {
  const options = { timeoutMs };
  const orders = (accountId: string): string => `orders/${accountId}`;
  return {
    place: (accountId, request) => cluster.request(orders(accountId), OrdersRequest.place(request), options),
    cancelReplace: (accountId, clientOrderId, replacement) =>
      cluster.request(orders(accountId), OrdersRequest.cancelReplace(clientOrderId, replacement), options),
    cancel: (accountId, clientOrderId) =>
      cluster.request(orders(accountId), OrdersRequest.cancel(clientOrderId), options),
    cancelAll: (accountId, instrumentId) =>
      cluster.request(orders(accountId), OrdersRequest.cancelAll(instrumentId), options),
    get: (accountId, clientOrderId) =>
      cluster.request(orders(accountId), OrdersRequest.get(clientOrderId), options),
    top: (book) =>
      cluster.request<TopOfBookWire, BookCommand>(book, (replyTo) => ({ type: 'get-top', replyTo }), options),
  };
}
