import { testLogger } from '../../../support/index.ts';
import { MetricsRegistry } from '../../../../observability/index.ts';
import type { Logger } from '../../../../observability/index.ts';
import { BinanceUsCredentials, BinanceUsRestClient } from '../../../../venues/binanceus/index.ts';
import type { BinanceUsConfig } from '../../../../venues/binanceus/index.ts';
import { startBinanceUsSimulator } from '../../../../venues/sim/binanceus/index.ts';
import type {
  BinanceUsSimulator,
  BinanceUsSimulatorOptions,
} from '../../../../venues/sim/binanceus/index.ts';

export interface Harness {
  readonly sim: BinanceUsSimulator;
  readonly client: BinanceUsRestClient;
  readonly metrics: MetricsRegistry;
  readonly logger: Logger;
  readonly config: Partial<BinanceUsConfig> & Pick<BinanceUsConfig, 'urls'>;
  close(): Promise<void>;
}

/** A simulator on a free loopback port and a real connector pointed at it. */
export async function startHarness(
  options: Partial<BinanceUsSimulatorOptions> = {},
  config: Partial<BinanceUsConfig> = {},
): Promise<Harness> {
  const logger = testLogger('binanceus-test');
  const sim = await startBinanceUsSimulator({ port: 0, seed: 7, logger, ...options });
  const metrics = new MetricsRegistry();
  const fullConfig = { urls: { rest: sim.restUrl, ws: sim.wsUrl }, requestTimeoutMs: 2000, ...config };
  const client = new BinanceUsRestClient({
    config: fullConfig,
    credentials: new BinanceUsCredentials(sim.apiKey, sim.apiSecret),
    logger,
    metrics,
  });
  return { sim, client, metrics, logger, config: fullConfig, close: () => sim.close() };
}

/** The current value of a counter or gauge with the given labels (0 when never set). */
export async function metricValue(
  metrics: MetricsRegistry,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const metric = metrics.registry.getSingleMetric(name);
  if (metric === undefined) return 0;
  const data = await metric.get();
  return data.values
    .filter((v) => Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want))
    .reduce((sum, v) => sum + v.value, 0);
}

export { waitFor as until } from '../../../support/index.ts';
