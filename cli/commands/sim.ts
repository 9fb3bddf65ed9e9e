import { Command, InvalidArgumentError as CommanderInvalidArgument } from 'commander';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { createLogger } from '../../observability/index.ts';
import { startBinanceUsSimulator } from '../../venues/sim/binanceus/index.ts';

/** Venues `gekko sim` can run; Coinbase and OANDA join when their simulators exist. */
export const SIM_VENUES = ['binanceus'] as const;

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
    .option('--symbols <list>', 'comma-separated symbols, e.g. BTCUSD,ETHUSD')
    .option('--api-key <key>', 'test API key to accept (default: generated and printed)')
    .option('--api-secret <secret>', 'test API secret to accept (default: generated and printed)')
    .action(async (venue: string, options: SimOptions) => {
      if (!(SIM_VENUES as readonly string[]).includes(venue)) {
        throw new InvalidArgumentError(
          'venue',
          `unknown venue '${venue}'; known venues: ${SIM_VENUES.join(', ')}`,
        );
      }
      if ((options.apiKey === undefined) !== (options.apiSecret === undefined)) {
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
      const sim = await startBinanceUsSimulator({
        port: options.port,
        logger,
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
        ...(symbols !== undefined ? { symbols } : {}),
        ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
        ...(options.apiSecret !== undefined ? { apiSecret: options.apiSecret } : {}),
      });
      context.out(`Binance.US simulator running`);
      context.out(`  REST:        ${sim.restUrl}`);
      context.out(
        `  WebSocket:   ${sim.wsUrl}  (combined: ${sim.wsUrl}/stream?streams=btcusd@trade/btcusd@depth@100ms)`,
      );
      context.out(`  API key:     ${sim.apiKey}`);
      context.out(`  API secret:  ${sim.apiSecret}`);
      context.out(`  control:     ${sim.restUrl}/__control/faults (see docs/simulators.md)`);
      context.out('Press Ctrl+C to stop.');
      const signal = await (context.untilStopped ?? waitForSignal)();
      context.out(`${signal}: stopping the simulator`);
      await sim.close();
      context.out('simulator stopped');
    });
}
