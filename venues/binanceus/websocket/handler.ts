import type { Logger } from '../../../observability/index.ts';
import type { BinanceUsMetrics } from '../common/metrics.ts';
import { MalformedPayloadError } from '../common/parse-error.ts';

/**
 * Runs `parse` on one raw frame and hands the result to `deliver`; a malformed frame, or an error in
 * the consumer, is logged with the raw payload and counted, and never escapes into the socket.
 */
export function handleFrame<T>(
  raw: string,
  parse: (raw: string) => T | undefined,
  deliver: (value: T) => void,
  deps: { readonly logger: Logger; readonly metrics: BinanceUsMetrics; readonly connection: string },
): void {
  let value: T | undefined;
  try {
    value = parse(raw);
  } catch (error) {
    const kind = error instanceof MalformedPayloadError ? error.payloadKind : 'unparsable';
    deps.metrics.malformedPayloads.inc({ kind });
    deps.logger.warn(
      { connection: deps.connection, raw: raw.slice(0, 4096), err: error },
      'malformed venue payload dropped',
    );
    return;
  }
  if (value === undefined) return;
  try {
    deliver(value);
  } catch (error) {
    deps.metrics.errors.inc({ kind: 'consumer' });
    deps.logger.error(
      { connection: deps.connection, raw: raw.slice(0, 4096), err: error },
      'stream consumer failed on a frame',
    );
  }
}
