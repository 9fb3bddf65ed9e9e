import type { TopOfBookWire } from '../book/index.ts';
import type { PlaceOrderRequest } from '../orders/index.ts';
import type { InstrumentId, Order } from '../../domain/index.ts';

/**
 * How strategies reach the rest of the cluster: orders only through `orders/<accountId>` (the same
 * order manager and risk checks as any client), market data from `book/<venue>/<symbol>`. Nodes
 * implement it over the cluster (nodes/dev-strategies.ts); a refusal rejects with the domain error.
 */
export interface StrategyPorts {
  place(accountId: string, request: PlaceOrderRequest): Promise<Order>;
  cancelReplace(accountId: string, clientOrderId: string, replacement: PlaceOrderRequest): Promise<Order>;
  cancel(accountId: string, clientOrderId: string): Promise<Order>;
  cancelAll(accountId: string, instrumentId: InstrumentId): Promise<number>;
  get(accountId: string, clientOrderId: string): Promise<Order | undefined>;
  top(book: string): Promise<TopOfBookWire>;
}
