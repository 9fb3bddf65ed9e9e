import type { Logger } from '../../../observability/index.ts';
import type { CoinbaseMetrics } from '../common/metrics.ts';
import { CoinbaseUnknownOutcomeError } from './error.ts';
import type { CoinbaseOrder, CreateOrderRequest, CreateOrderResponse } from './models.ts';
import type { CallContext, CoinbaseRestClient } from './rest-client.ts';

export type SafePlacement =
  | { readonly outcome: 'answered'; readonly response: CreateOrderResponse }
  /** The first attempt's outcome was unknown; the venue has the order, found by querying. */
  | { readonly outcome: 'found'; readonly order: CoinbaseOrder };

export interface SafePlacementOptions {
  readonly logger: Logger;
  readonly metrics: CoinbaseMetrics;
  readonly context?: CallContext;
  /** Query attempts after an unknown outcome before giving up (still unknown). */
  readonly queries: number;
  readonly queryDelayMs: number;
  /** Orders created before this (epoch ms) cannot be ours; bounds the search. */
  readonly since: number;
}

/**
 * After an unknown outcome, asks the venue for the order with `clientOrderId`: the order if it exists,
 * `undefined` when the venue's list for the product (since `since`) has no such order. Errors propagate
 * (the outcome stays unknown). The REST API has no lookup by client_order_id, so this pages the product's
 * orders created since the request.
 */
export async function findByClientOrderId(
  client: CoinbaseRestClient,
  productId: string,
  clientOrderId: string,
  since: number,
  context: CallContext = {},
): Promise<CoinbaseOrder | undefined> {
  let cursor: string | undefined;
  for (let page = 0; page < 50; page++) {
    const result = await client.listOrders(
      { productIds: [productId], startDate: since, limit: 100, ...(cursor === undefined ? {} : { cursor }) },
      context,
    );
    const found = result.orders.find((o) => o.clientOrderId === clientOrderId);
    if (found !== undefined) return found;
    if (!result.hasNext || result.cursor.length === 0) return undefined;
    cursor = result.cursor;
  }
  return undefined;
}

/**
 * Places an order so that it exists at most once: on an unknown outcome (5xx, timeout, lost connection)
 * it queries by client_order_id and resends only when the venue says the order does not exist. The
 * resend keeps the same client_order_id, which the venue also treats as an idempotency key.
 */
export async function placeOrderSafely(
  client: CoinbaseRestClient,
  order: CreateOrderRequest,
  options: SafePlacementOptions,
): Promise<SafePlacement> {
  const log = options.logger.child({
    clientOrderId: order.clientOrderId,
    productId: order.productId,
    correlationId: options.context?.correlationId,
  });
  let lastUnknown: unknown;
  for (let attempt = 1; attempt <= 2; attempt++) {
    try {
      const response = await client.createOrder(order, options.context);
      if (attempt > 1) options.metrics.orders.inc({ outcome: 'resent_after_unknown' });
      return { outcome: 'answered', response };
    } catch (error) {
      if (!(error instanceof CoinbaseUnknownOutcomeError)) throw error;
      lastUnknown = error;
      log.warn(
        { err: error, attempt },
        'order placement outcome unknown; querying the venue before any resend',
      );
    }
    const found = await queryUntilKnown(client, order, options, log);
    if (found !== undefined) {
      options.metrics.orders.inc({ outcome: 'found_after_unknown' });
      return { outcome: 'found', order: found };
    }
    log.info({ attempt }, 'the venue has no order with this client_order_id; resending');
  }
  options.metrics.orders.inc({ outcome: 'unresolved' });
  throw lastUnknown;
}

async function queryUntilKnown(
  client: CoinbaseRestClient,
  order: CreateOrderRequest,
  options: SafePlacementOptions,
  log: Logger,
): Promise<CoinbaseOrder | undefined> {
  for (let i = 1; ; i++) {
    try {
      return await findByClientOrderId(
        client,
        order.productId,
        order.clientOrderId,
        options.since,
        options.context,
      );
    } catch (error) {
      // Still unknown: never resend on an unanswered query; wait and ask again, then give up loudly.
      if (i >= options.queries) {
        options.metrics.orders.inc({ outcome: 'unresolved' });
        throw error;
      }
      log.warn({ err: error, query: i }, 'query after unknown outcome failed; asking again');
      await new Promise((resolve) => setTimeout(resolve, options.queryDelayMs));
    }
  }
}
