import type { Logger } from '../../../observability/index.ts';
import type { OandaMetrics } from '../common/metrics.ts';
import type { OandaOrder } from '../common/order.ts';
import { OandaUnknownOutcomeError } from './error.ts';
import type { OandaOrderCreateResult, OandaOrderSpec } from './models.ts';
import type { OandaCallOptions, OandaRestClient } from './rest-client.ts';

export type SafeCreation =
  | { readonly outcome: 'answered'; readonly result: OandaOrderCreateResult }
  /** The first attempt's outcome was unknown; the venue has the order, found by `@clientId`. */
  | { readonly outcome: 'found'; readonly order: OandaOrder };

export interface SafeCreationOptions extends OandaCallOptions {
  readonly logger: Logger;
  readonly metrics: OandaMetrics;
  /** Queries per unknown outcome before giving up (the error then stays unknown). */
  readonly queries: number;
  readonly queryDelayMs: number;
}

/**
 * Creates an order so that it exists at most once per client order id: on an unknown outcome (5xx,
 * timeout, lost connection) it asks GET .../orders/@<clientId> and resends only when the venue says
 * 404 (the order was never created). A query that cannot answer either is retried, then the unknown
 * outcome is thrown: the caller queries again later and never blindly resends.
 */
export async function createOrderSafely(
  client: OandaRestClient,
  spec: OandaOrderSpec,
  options: SafeCreationOptions,
): Promise<SafeCreation> {
  const log = options.logger.child({ clientOrderId: spec.clientOrderId, instrument: spec.instrument });
  const call = {
    ...(options.correlationId === undefined ? {} : { correlationId: options.correlationId }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
  let resent = false;
  for (;;) {
    try {
      return { outcome: 'answered', result: await client.createOrder(spec, call) };
    } catch (error) {
      if (!(error instanceof OandaUnknownOutcomeError)) throw error;
      log.warn(
        { err: error, resent },
        'order creation outcome unknown; querying @clientId before any resend',
      );
      const found = await queryUntilAnswered(client, spec.clientOrderId, options, call, log, error);
      if (found !== undefined) {
        options.metrics.unknownOutcomes.inc({ resolution: 'found' });
        return { outcome: 'found', order: found };
      }
      options.metrics.unknownOutcomes.inc({ resolution: 'absent' });
      if (resent) throw error;
      log.info('venue has no order with this client id (404): sending it again, once');
      resent = true;
    }
  }
}

async function queryUntilAnswered(
  client: OandaRestClient,
  clientOrderId: string,
  options: SafeCreationOptions,
  call: OandaCallOptions,
  log: Logger,
  unknown: OandaUnknownOutcomeError,
): Promise<OandaOrder | undefined> {
  for (let i = 1; ; i++) {
    try {
      return await client.getOrder(`@${clientOrderId}`, call);
    } catch (error) {
      if (i >= options.queries) {
        options.metrics.unknownOutcomes.inc({ resolution: 'unresolved' });
        log.error({ err: error, queries: i }, 'order state still unknown after querying; not resending');
        throw unknown;
      }
      log.warn({ err: error, query: i }, 'query after unknown outcome failed; asking again');
      await new Promise((resolve) => setTimeout(resolve, options.queryDelayMs));
    }
  }
}
