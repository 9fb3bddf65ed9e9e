import { MetricsRegistry } from '../../../../observability/index.ts';
import type { Logger } from '../../../../observability/index.ts';
import { CoinbaseConnector, CoinbaseCredentials } from '../../../../venues/coinbase/index.ts';
import type { CoinbaseConfig } from '../../../../venues/coinbase/index.ts';
import { startCoinbaseSimulator } from '../../../../venues/sim/coinbase/index.ts';
import type { CoinbaseSimulator, CoinbaseSimulatorOptions } from '../../../../venues/sim/coinbase/index.ts';
import { testLogger } from '../../../support/index.ts';

export interface Harness {
  readonly sim: CoinbaseSimulator;
  readonly connector: CoinbaseConnector;
  readonly credentials: CoinbaseCredentials;
  readonly metrics: MetricsRegistry;
  readonly logger: Logger;
  readonly config: Partial<CoinbaseConfig> & Pick<CoinbaseConfig, 'urls'>;
  close(): Promise<void>;
}

/** A simulator on a free loopback port and a started connector pointed at it. */
export async function startHarness(
  options: Partial<CoinbaseSimulatorOptions> = {},
  config: Partial<CoinbaseConfig> = {},
): Promise<Harness> {
  const logger = options.logger ?? testLogger('coinbase-test');
  const sim = await startCoinbaseSimulator({ port: 0, seed: 7, logger, ...options });
  const metrics = new MetricsRegistry();
  const fullConfig = {
    urls: { rest: sim.restUrl, wsMarket: sim.wsMarketUrl, wsUser: sim.wsUserUrl },
    requestTimeoutMs: 2000,
    reconnectInitialMs: 50,
    reconnectMaxMs: 500,
    unknownOutcomeQueryDelayMs: 20,
    ...config,
  };
  if (sim.privateKeyPem === undefined) throw new Error('the harness needs a generated key');
  const credentials = new CoinbaseCredentials(sim.keyName, sim.privateKeyPem);
  const connector = new CoinbaseConnector({ config: fullConfig, credentials, logger, metrics });
  await connector.start();
  return {
    sim,
    connector,
    credentials,
    metrics,
    logger,
    config: fullConfig,
    close: async () => {
      await connector.close();
      await sim.close();
    },
  };
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
