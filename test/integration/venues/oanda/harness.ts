import { Writable } from 'node:stream';
import {
  parseAccountId,
  parseClientOrderId,
  parseInstrumentId,
  parseOrderId,
} from '../../../../domain/index.ts';
import type { InstrumentId, OrderRequest } from '../../../../domain/index.ts';
import { Quantity } from '../../../../domain/values/index.ts';
import { MetricsRegistry, createLogger } from '../../../../observability/index.ts';
import type { Logger } from '../../../../observability/index.ts';
import { OandaConnector, OandaCredentials } from '../../../../venues/oanda/index.ts';
import type { OandaConfig } from '../../../../venues/oanda/index.ts';
import type { VenueExecutionEvent } from '../../../../venues/venue-connector.ts';
import { startOandaSimulator } from '../../../../venues/sim/oanda/index.ts';
import type { OandaSimulator, OandaSimulatorOptions } from '../../../../venues/sim/oanda/index.ts';
import { testLogger } from '../../../support/index.ts';

export const EUR_USD = parseInstrumentId('EUR_USD.OANDA');
export const USD_JPY = parseInstrumentId('USD_JPY.OANDA');

export interface Harness {
  readonly sim: OandaSimulator;
  readonly connector: OandaConnector;
  readonly metrics: MetricsRegistry;
  readonly events: VenueExecutionEvent[];
  /** Every log line the connector wrote (JSON text). */
  readonly logLines: string[];
  /** The simulator path of an account endpoint, e.g. `/orders` → `/v3/accounts/<id>/orders`. */
  path(rest: string): string;
  close(): Promise<void>;
}

/** Fast timings for tests: heartbeats every 100 ms, a dead stream noticed after 600 ms. */
export const FAST: Partial<OandaConfig> = {
  heartbeatTimeoutMs: 600,
  reconnectInitialMs: 50,
  reconnectMaxMs: 400,
  requestTimeoutMs: 2000,
  unknownOutcomeQueryDelayMs: 50,
  rateLimitBackoffMs: 100,
};

/** A simulator on a free loopback port and a started connector pointed at it. */
export async function startHarness(
  options: Partial<OandaSimulatorOptions> = {},
  config: Partial<OandaConfig> = {},
): Promise<Harness> {
  const sim = await startOandaSimulator({
    port: 0,
    seed: 7,
    logger: testLogger('oanda-sim'),
    heartbeatIntervalMs: 100,
    priceIntervalMs: 50,
    ...options,
  });
  const logLines: string[] = [];
  const capture = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger: Logger = createLogger({ level: 'info', name: 'oanda-test', destination: capture });
  const metrics = new MetricsRegistry();
  const connector = new OandaConnector({
    config: { urls: { rest: sim.restUrl, stream: sim.streamUrl }, ...FAST, ...config },
    credentials: new OandaCredentials(sim.token, sim.accountId),
    logger,
    metrics,
  });
  const events: VenueExecutionEvent[] = [];
  connector.onExecution((e) => events.push(e));
  await connector.start();
  return {
    sim,
    connector,
    metrics,
    events,
    logLines,
    path: (rest) => `/v3/accounts/${sim.accountId}${rest}`,
    close: async () => {
      await connector.close();
      await sim.close();
    },
  };
}

let counter = 0;

/** A domain order request with a fresh client order id. */
export function orderRequest(
  over: Partial<OrderRequest> & { instrumentId?: InstrumentId } = {},
): OrderRequest {
  counter++;
  const hex = counter.toString(16).padStart(12, '0');
  return {
    id: parseOrderId(`0b6f3c9e-5d1a-4f7e-9c2b-${hex}`),
    clientOrderId: parseClientOrderId(`t-${Date.now().toString(36)}-${counter}`),
    accountId: parseAccountId('4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f'),
    instrumentId: EUR_USD,
    side: 'BUY',
    type: 'MARKET',
    timeInForce: 'FOK',
    quantity: Quantity.parse('1000'),
    createdAt: Date.now(),
    ...over,
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
