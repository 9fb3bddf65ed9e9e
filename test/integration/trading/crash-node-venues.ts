// Test-only: a node process of the crash tests loads this module (NINJA_ENV=test and
// NINJA_TEST_KINDS_MODULE) to host the venue and book kinds for a Binance.US simulator that runs in
// the TEST process, so the venue outlives every kill of the node. Where it listens and its test
// credentials come from the environment the test gives the node.
import { registerVenueKinds, VenueConnectors } from '../../../actors/venue/index.ts';
import type { ClusterNode } from '../../../cluster/index.ts';
import { FailedPreconditionError } from '../../../domain/errors.ts';
import type { Logger, MetricsRegistry } from '../../../observability/index.ts';
import { BinanceUsConnector, BinanceUsCredentials } from '../../../venues/binanceus/index.ts';

/** The environment variables this module reads (set by crash-harness.ts). */
export const CRASH_VENUE_ENV = {
  rest: 'NINJA_CRASH_BINANCEUS_REST',
  ws: 'NINJA_CRASH_BINANCEUS_WS',
  apiKey: 'NINJA_CRASH_BINANCEUS_KEY',
  apiSecret: 'NINJA_CRASH_BINANCEUS_SECRET',
  symbols: 'NINJA_CRASH_BINANCEUS_SYMBOLS',
} as const;

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new FailedPreconditionError(`${name} is not set`);
  return value;
}

export function registerKinds(
  cluster: ClusterNode,
  services: { readonly logger: Logger; readonly metrics: MetricsRegistry },
): void {
  const rest = required(CRASH_VENUE_ENV.rest);
  const ws = required(CRASH_VENUE_ENV.ws);
  const credentials = new BinanceUsCredentials(
    required(CRASH_VENUE_ENV.apiKey),
    required(CRASH_VENUE_ENV.apiSecret),
  );
  const symbols = required(CRASH_VENUE_ENV.symbols).split(',');
  const logger = services.logger.child({ venue: 'binanceus' });
  const connectors = new VenueConnectors({
    binanceus: () =>
      new BinanceUsConnector({
        config: { urls: { rest, ws } },
        credentials,
        logger,
        metrics: services.metrics,
        symbols,
      }),
  });
  registerVenueKinds(cluster, { connectors, metrics: services.metrics });
}
