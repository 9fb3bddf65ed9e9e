import { Command, InvalidArgumentError as CommanderInvalidArgument } from 'commander';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { createLogger } from '../../observability/index.ts';
import type { Logger } from '../../observability/index.ts';
import { startBinanceUsSimulator } from '../../venues/sim/binanceus/index.ts';
import { startCoinbaseSimulator } from '../../venues/sim/coinbase/index.ts';
import { startOandaSimulator } from '../../venues/sim/oanda/index.ts';

/** The options every simulator takes, as parsed from the command line. */
interface SimulatorStart {
  readonly port: number;
  readonly logger: Logger;
  readonly seed?: number;
  readonly symbols?: readonly string[];
  readonly apiKey?: string;
  readonly apiSecret?: string;
}

/** A running simulator, as the command prints and stops it. */
interface RunningSimulator {
  /** Lines telling a user how to connect: endpoints, credentials, control API. */
  readonly banner: readonly string[];
  close(): Promise<void>;
}

/**
 * The live-venue configuration of a node that trades on this simulator (docs/venues.md), as
 * `export NAME=value` lines at the start of the line, so `grep '^export ' > venues.env` gives a file
 * to source. The URLs are the bases the connectors expect (the REST line above names the API path,
 * which NINJA_*_REST_URL must not repeat); a multi-line value (the Coinbase PEM) is one $'…' word.
 */
function nodeConfiguration(entries: readonly (readonly [string, string])[]): string[] {
  return [
    '  node configuration (docs/venues.md):',
    ...entries.map(([name, value]) => `export ${name}=${shellWord(value)}`),
  ];
}

/** `value` as one word for bash or zsh: bare when it is plain, else ANSI-C quoted. */
export function shellWord(value: string): string {
  if (/^[A-Za-z0-9_.:/,@=+-]+$/.test(value)) return value;
  return `$'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

/** Venues `gekko sim` can run, each with how to start it and what to print. */
const SIMULATORS: Readonly<Record<string, (options: SimulatorStart) => Promise<RunningSimulator>>> = {
  binanceus: async (options) => {
    const sim = await startBinanceUsSimulator(options);
    return {
      banner: [
        'Binance.US simulator running',
        `  REST:        ${sim.restUrl}`,
        `  WebSocket:   ${sim.wsUrl}  (combined: ${sim.wsUrl}/stream?streams=btcusd@trade/btcusd@depth@100ms)`,
        `  API key:     ${sim.apiKey}`,
        `  API secret:  ${sim.apiSecret}`,
        `  control:     ${sim.restUrl}/__control/faults (see docs/simulators.md)`,
        ...nodeConfiguration([
          ['NINJA_BINANCEUS_REST_URL', sim.restUrl],
          ['NINJA_BINANCEUS_WS_URL', sim.wsUrl],
          ['NINJA_BINANCEUS_API_KEY', sim.apiKey],
          ['NINJA_BINANCEUS_API_SECRET', sim.apiSecret],
          ['NINJA_BINANCEUS_SYMBOLS', (options.symbols ?? ['BTCUSD', 'ETHUSD']).join(',')],
        ]),
      ],
      close: () => sim.close(),
    };
  },
  coinbase: async ({ apiKey, apiSecret, ...options }) => {
    if (apiSecret !== undefined) {
      throw new InvalidArgumentError(
        '--api-secret',
        'Coinbase keys are key pairs: the simulator generates one and prints its private key; give only --api-key (the key name)',
      );
    }
    const sim = await startCoinbaseSimulator({
      ...options,
      ...(apiKey !== undefined ? { keyName: apiKey } : {}),
    });
    return {
      banner: [
        'Coinbase Advanced Trade simulator running',
        `  REST:        ${sim.restUrl}/api/v3/brokerage`,
        `  WebSocket:   ${sim.wsMarketUrl} (market data), ${sim.wsUserUrl} (user)`,
        `  key name:    ${sim.keyName}`,
        ...(sim.privateKeyPem === undefined
          ? []
          : [
              '  private key (sign ES256 JWTs with it):',
              ...sim.privateKeyPem
                .trimEnd()
                .split('\n')
                .map((l) => `    ${l}`),
            ]),
        `  control:     ${sim.restUrl}/__control/faults (see docs/coinbase.md)`,
        ...nodeConfiguration([
          ['NINJA_COINBASE_REST_URL', sim.restUrl],
          ['NINJA_COINBASE_WS_MARKET_URL', sim.wsMarketUrl],
          ['NINJA_COINBASE_WS_USER_URL', sim.wsUserUrl],
          ['NINJA_COINBASE_KEY_NAME', sim.keyName],
          ...(sim.privateKeyPem === undefined
            ? []
            : [['NINJA_COINBASE_PRIVATE_KEY', sim.privateKeyPem.trimEnd()] as const]),
          ['NINJA_COINBASE_PRODUCTS', (options.symbols ?? ['BTC-USD', 'ETH-USD']).join(',')],
        ]),
      ],
      close: () => sim.close(),
    };
  },
  oanda: async ({ apiKey, apiSecret, ...options }) => {
    const sim = await startOandaSimulator({
      ...options,
      ...(apiKey !== undefined ? { accountId: apiKey } : {}),
      ...(apiSecret !== undefined ? { token: apiSecret } : {}),
    });
    return {
      banner: [
        'OANDA v20 simulator running',
        `  REST:        ${sim.restUrl}/v3  (stands in for https://api-fxpractice.oanda.com)`,
        `  streaming:   ${sim.streamUrl}/v3/accounts/${sim.accountId}/pricing/stream?instruments=EUR_USD`,
        `  account id:  ${sim.accountId}`,
        `  token:       ${sim.token}  (Authorization: Bearer <token>)`,
        `  control:     ${sim.restUrl}/__control/faults (see docs/oanda.md)`,
        ...nodeConfiguration([
          ['NINJA_OANDA_REST_URL', sim.restUrl],
          ['NINJA_OANDA_STREAM_URL', sim.streamUrl],
          ['NINJA_OANDA_ACCOUNT_ID', sim.accountId],
          ['NINJA_OANDA_TOKEN', sim.token],
        ]),
      ],
      close: () => sim.close(),
    };
  },
};

export const SIM_VENUES: readonly string[] = Object.keys(SIMULATORS);

export interface SimCommandContext {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly env: NodeJS.ProcessEnv;
  /** Resolves when the simulator should stop; default: the first SIGINT or SIGTERM. Tests pass their own. */
  readonly untilStopped?: () => Promise<string>;
}

interface SimOptions {
  readonly port: number;
  readonly seed?: number;
  readonly symbols?: string;
  readonly apiKey?: string;
  readonly apiSecret?: string;
}

function integer(name: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) {
      throw new CommanderInvalidArgument(`${name} must be an integer from ${min} to ${max}`);
    }
    return n;
  };
}

function waitForSignal(): Promise<string> {
  return new Promise((resolve) => {
    const done = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve(signal);
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

/** `gekko sim <venue> --port <port> [--seed N] [--symbols A,B] [--api-key K --api-secret S]`. */
export function simCommand(context: SimCommandContext): Command {
  return new Command('sim')
    .description('run a protocol-faithful venue simulator on 127.0.0.1 (see docs/simulators.md)')
    .argument('<venue>', `venue to simulate: ${SIM_VENUES.join(', ')}`)
    .requiredOption(
      '-p, --port <port>',
      'TCP port on 127.0.0.1 (0: any free port)',
      integer('--port', 0, 65535),
    )
    .option('--seed <n>', 'seed of the simulated order flow', integer('--seed', 0, 2 ** 31 - 1))
    .option(
      '--symbols <list>',
      'comma-separated symbols, e.g. BTCUSD,ETHUSD (Coinbase BTC-USD, OANDA EUR_USD)',
    )
    .option(
      '--api-key <key>',
      'test API key to accept; Coinbase: the key name; OANDA: the account id (default: generated and printed)',
    )
    .option(
      '--api-secret <secret>',
      'test API secret to accept; OANDA: the bearer token; not for Coinbase (default: generated and printed)',
    )
    .action(async (venue: string, options: SimOptions) => {
      const start = Object.hasOwn(SIMULATORS, venue) ? SIMULATORS[venue] : undefined;
      if (start === undefined) {
        throw new InvalidArgumentError(
          'venue',
          `unknown venue '${venue}'; known venues: ${SIM_VENUES.join(', ')}`,
        );
      }
      if (venue === 'binanceus' && (options.apiKey === undefined) !== (options.apiSecret === undefined)) {
        throw new InvalidArgumentError('--api-key', 'give --api-key and --api-secret together, or neither');
      }
      const logger = createLogger({
        level: context.env['NINJA_LOG_LEVEL'] ?? 'info',
        name: `sim-${venue}`,
        destination: process.stderr,
      });
      const symbols = options.symbols
        ?.split(',')
        .map((s) => s.trim().toUpperCase())
        .filter((s) => s.length > 0);
      const sim = await start({
        port: options.port,
        logger,
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
        ...(symbols !== undefined ? { symbols } : {}),
        ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
        ...(options.apiSecret !== undefined ? { apiSecret: options.apiSecret } : {}),
      });
      for (const line of sim.banner) context.out(line);
      context.out('Press Ctrl+C to stop.');
      const signal = await (context.untilStopped ?? waitForSignal)();
      context.out(`${signal}: stopping the simulator`);
      await sim.close();
      context.out('simulator stopped');
    });
}
