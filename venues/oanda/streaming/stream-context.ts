import type { Logger } from '../../../observability/index.ts';
import type { OandaConfig } from '../config.ts';
import type { OandaCredentials } from '../common/credentials.ts';
import type { OandaMetrics } from '../common/metrics.ts';
import type { TokenBucket } from '../http/rate-limiter.ts';

/** What both streams share: where to connect, how to authenticate, the connection budget, telemetry. */
export interface OandaStreamContext {
  readonly config: OandaConfig;
  readonly credentials: OandaCredentials;
  /** 2 new connections per second, shared by every stream of the connector. */
  readonly connections: TokenBucket;
  readonly logger: Logger;
  readonly metrics: OandaMetrics;
}

export function streamHeaders(context: OandaStreamContext): Record<string, string> {
  return {
    Authorization: context.credentials.authorization(),
    'Accept-Datetime-Format': 'RFC3339',
  };
}

/** Logs a malformed venue line with its raw text (truncated) and counts it; never throws. */
export function reportMalformed(
  context: OandaStreamContext,
  stream: string,
  line: string,
  error: unknown,
): void {
  context.metrics.malformedPayloads.inc({ kind: stream });
  context.logger.error(
    { stream, err: error, raw: line.slice(0, 2000) },
    'malformed OANDA stream line; skipped',
  );
}
