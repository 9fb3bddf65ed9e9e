import { InvalidArgumentError } from '../../../domain/errors.ts';
import type { Logger } from '../../../observability/index.ts';
import { BinanceUsNoSuchOrderError, BinanceUsUnknownOutcomeError } from './error.ts';
import type { NewOrderRequest, NewOrderResponse, OrderState } from './models.ts';
import type { BinanceUsRestClient } from './rest-client.ts';

export type SafePlacement =
  | { readonly outcome: 'placed'; readonly response: NewOrderResponse }
  /** The first attempt's outcome was unknown; the venue has the order, found by querying. */
  | { readonly outcome: 'found'; readonly order: OrderState };

export interface SafePlacementOptions {
  readonly logger: Logger;
  readonly correlationId?: string;
  /** How many times to query (and, only on -2013, resend) before giving up. */
  readonly maxAttempts?: number;
  /** Delay between query attempts, ms. */
  readonly queryDelayMs?: number;
}

/**
 * After an unknown outcome, asks the venue about `clientOrderId`: the order if it exists, or
 * `undefined` when the venue says it does not (-2013). Any other error propagates (still unknown).
 */
export async function resolveUnknownOutcome(
  client: BinanceUsRestClient,
  symbol: string,
  clientOrderId: string,
  correlationId?: string,
): Promise<OrderState | undefined> {
  try {
    return await client.queryOrder(
      { symbol, origClientOrderId: clientOrderId },
      correlationId === undefined ? {} : { correlationId },
    );
  } catch (error) {
    if (error instanceof BinanceUsNoSuchOrderError) return undefined;
    throw error;
  }
}

/**
 * Places an order so that it exists at most once: on an unknown outcome (5xx, timeout, lost
 * connection) it queries by origClientOrderId and resends only when the venue says the order does
 * not exist. Requires newClientOrderId, the idempotency key.
 */
export async function placeOrderSafely(
  client: BinanceUsRestClient,
  order: NewOrderRequest,
  options: SafePlacementOptions,
): Promise<SafePlacement> {
  const clientOrderId = order.newClientOrderId;
  if (clientOrderId === undefined) {
    throw new InvalidArgumentError('newClientOrderId', 'is required to place an order safely');
  }
  const maxAttempts = options.maxAttempts ?? 3;
  const context = options.correlationId === undefined ? {} : { correlationId: options.correlationId };
  const log = options.logger.child({ clientOrderId, symbol: order.symbol, ...context });
  let lastUnknown: unknown;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    try {
      return { outcome: 'placed', response: await client.newOrder(order, context) };
    } catch (error) {
      if (!(error instanceof BinanceUsUnknownOutcomeError)) throw error;
      lastUnknown = error;
      log.warn(
        { err: error, attempt },
        'order placement outcome unknown; querying the venue before any resend',
      );
    }
    const found = await queryUntilKnown(client, order.symbol, clientOrderId, options, log);
    if (found !== undefined) return { outcome: 'found', order: found };
    log.info({ attempt }, 'venue says the order does not exist (-2013); resending');
  }
  throw lastUnknown;
}

async function queryUntilKnown(
  client: BinanceUsRestClient,
  symbol: string,
  clientOrderId: string,
  options: SafePlacementOptions,
  log: Logger,
): Promise<OrderState | undefined> {
  const attempts = options.maxAttempts ?? 3;
  for (let i = 1; ; i++) {
    try {
      return await resolveUnknownOutcome(client, symbol, clientOrderId, options.correlationId);
    } catch (error) {
      // Still unknown: never resend on an unanswered query; wait and ask again, then give up loudly.
      if (i >= attempts) throw error;
      log.warn({ err: error, query: i }, 'query after unknown outcome failed; asking again');
      await new Promise((resolve) => setTimeout(resolve, options.queryDelayMs ?? 200));
    }
  }
}
