import type { Logger } from '../../../observability/index.ts';
import type { BinanceUsConfig } from '../config.ts';
import type { BinanceUsMetrics } from '../common/metrics.ts';
import type { ExecutionReport, UserDataEvent } from '../common/user-data.ts';
import type { CancelOrderRequest, NewOrderRequest, OrderState } from '../http/models.ts';
import { placeOrderSafely } from '../http/order-safety.ts';
import type { SafePlacement } from '../http/order-safety.ts';
import type { BinanceUsRestClient } from '../http/rest-client.ts';
import { UserDataClient } from '../websocket/user-data-client.ts';

export interface ExecutionClientOptions {
  readonly config: BinanceUsConfig;
  readonly rest: BinanceUsRestClient;
  readonly logger: Logger;
  readonly metrics: BinanceUsMetrics;
  /** Symbols whose open orders are reconciled after every user-stream reconnect. */
  readonly symbols: readonly string[];
  readonly onReport: (report: ExecutionReport) => void;
  readonly onUserEvent?: (event: UserDataEvent) => void;
  /** The venue's view of each open order, after a reconnect (reports may have been missed meanwhile). */
  readonly onReconciled?: (symbol: string, openOrders: readonly OrderState[]) => void;
}

/**
 * Order execution on Binance.US: placement that never duplicates (placeOrderSafely), cancels, and
 * the user data stream, with open orders reconciled by query whenever the stream reconnects.
 */
export class BinanceUsExecutionClient {
  readonly user: UserDataClient;
  readonly #o: ExecutionClientOptions;
  readonly #logger: Logger;
  #connections = 0;

  constructor(options: ExecutionClientOptions) {
    this.#o = options;
    this.#logger = options.logger.child({ component: 'binanceus-execution' });
    this.user = new UserDataClient({
      config: options.config,
      rest: options.rest,
      logger: options.logger,
      metrics: options.metrics,
      onEvent: (event) => {
        if (event.kind === 'executionReport') options.onReport(event.event);
        options.onUserEvent?.(event);
      },
      onConnected: () => {
        this.#connections += 1;
        if (this.#connections > 1) void this.reconcile();
      },
    });
  }

  start(): void {
    this.user.start();
  }

  /** Places `order` at most once; `newClientOrderId` is required. */
  place(order: NewOrderRequest, correlationId?: string): Promise<SafePlacement> {
    return placeOrderSafely(this.#o.rest, order, {
      logger: this.#logger,
      ...(correlationId === undefined ? {} : { correlationId }),
    });
  }

  cancel(request: CancelOrderRequest, correlationId?: string): Promise<OrderState> {
    return this.#o.rest.cancelOrder(request, correlationId === undefined ? {} : { correlationId });
  }

  /** Queries the open orders of every configured symbol and hands them to onReconciled. */
  async reconcile(): Promise<void> {
    for (const symbol of this.#o.symbols) {
      try {
        const open = await this.#o.rest.openOrders(symbol);
        this.#o.onReconciled?.(symbol, open);
      } catch (error) {
        this.#logger.warn(
          { symbol, err: error },
          'reconciling open orders failed; will retry on the next reconnect',
        );
      }
    }
  }

  async close(): Promise<void> {
    await this.user.close();
  }
}
