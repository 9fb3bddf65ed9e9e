import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { isNinjaError } from '../domain/errors.ts';
import { ConfigError } from '../nodes/config/index.ts';
import type { CliContext } from './context.ts';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

type CommandFactory = (context: CliContext) => Command;

/** A top-level command: what `gekko --help` says of it, and how to load it when it runs. */
interface LazyCommand {
  readonly name: string;
  readonly description: string;
  readonly load: () => Promise<CommandFactory>;
}

/**
 * Every command, in help order. A command's module (and the gateway, gRPC, argon2, … it imports) is
 * imported only when that command runs, so `gekko --help` and `gekko migrate status` start fast.
 * Each later capability adds its command here.
 */
const COMMANDS: readonly LazyCommand[] = [
  {
    name: 'start',
    description: 'start a node (embedded PostgreSQL unless DATABASE_URL is set); stop with Ctrl-C',
    load: async () => (await import('./commands/start.ts')).startCommand,
  },
  {
    name: 'node',
    description: 'run a cluster node',
    load: async () => (await import('./commands/node.ts')).nodeCommand,
  },
  {
    name: 'cluster',
    description: 'inspect and operate a cluster through its etcd, one of its nodes, or the gateway',
    load: async () => (await import('./commands/cluster.ts')).clusterCommand,
  },
  {
    name: 'migrate',
    description: 'apply, revert or list the database schema migrations',
    load: loadMigrate,
  },
  {
    name: 'sim',
    description: 'run a protocol-faithful venue simulator on 127.0.0.1 (see docs/simulators.md)',
    load: async () => (await import('./commands/sim.ts')).simCommand,
  },
  {
    name: 'certs',
    description: 'development certificates for node-to-node mutual TLS',
    load: async () => (await import('./commands/certs.ts')).certsCommand,
  },
  {
    name: 'config',
    description: 'inspect the node configuration',
    load: async () => (await import('./commands/config.ts')).configCommand,
  },
  // Client commands: through the SDK to a gateway (docs/cli.md).
  {
    name: 'login',
    description: 'log in to a gateway; later client commands use the stored session (refreshed as needed)',
    load: async () => (await import('./commands/login.ts')).loginCommand,
  },
  {
    name: 'logout',
    description: 'end the stored login session (at the gateway too)',
    load: async () => (await import('./commands/login.ts')).logoutCommand,
  },
  {
    name: 'user',
    description: 'users of the gateway',
    load: async () => (await import('./commands/user.ts')).userCommand,
  },
  {
    name: 'key',
    description: 'your API keys',
    load: async () => (await import('./commands/key.ts')).keyCommand,
  },
  {
    name: 'orders',
    description: 'orders on your trading accounts',
    load: async () => {
      const [{ ordersCommand }, { routeOrderCommand }] = await Promise.all([
        import('./commands/orders.ts'),
        import('./commands/orders-route.ts'),
      ]);
      return (context) => ordersCommand(context).addCommand(routeOrderCommand(context));
    },
  },
  {
    name: 'instruments',
    description: 'list tradable instruments',
    load: async () => (await import('./commands/market.ts')).instrumentsCommand,
  },
  {
    name: 'book',
    description: 'show the order book of an instrument',
    load: async () => (await import('./commands/market.ts')).bookCommand,
  },
  {
    name: 'accounts',
    description: 'list your trading accounts',
    load: async () => (await import('./commands/account.ts')).accountsCommand,
  },
  {
    name: 'balances',
    description: 'balances of a trading account',
    load: async () => (await import('./commands/account.ts')).balancesCommand,
  },
  {
    name: 'positions',
    description: 'positions of a trading account',
    load: async () => (await import('./commands/account.ts')).positionsCommand,
  },
  {
    name: 'pnl',
    description: 'realised and unrealised PnL of a trading account',
    load: async () => (await import('./commands/account.ts')).pnlCommand,
  },
  {
    name: 'kill-switch',
    description: "engage or release an account's kill switch, or the cluster-wide one",
    load: async () => (await import('./commands/account.ts')).killSwitchCommand,
  },
];

/** `gekko migrate` on the configured database; imports persistence and configuration only. */
async function loadMigrate(): Promise<CommandFactory> {
  const [{ migrateCommand }, { databaseConfigOf }, { openDatabase }, { loadNode }] = await Promise.all([
    import('./commands/migrate.ts'),
    import('../nodes/database-config.ts'),
    import('../persistence/index.ts'),
    import('./context.ts'),
  ]);
  return (context) =>
    migrateCommand({
      openDatabase: () => {
        const { config, logger } = loadNode(context, undefined);
        return openDatabase(databaseConfigOf(config), { logger });
      },
      out: context.out,
    });
}

/** The `gekko` root: name, version, output through the context, errors thrown instead of exiting. */
function rootCommand(context: CliContext): Command {
  return new Command('gekko')
    .description('Ninja Gekko: a distributed trading runtime')
    .version(packageJson.version)
    .showHelpAfterError()
    .configureOutput({
      writeOut: (text) => context.out(text.trimEnd()),
      writeErr: (text) => context.err(text.trimEnd()),
    })
    .exitOverride();
}

/**
 * A stand-in that takes every argument after its name unparsed (its own help included), then
 * loads the real command and runs it under a fresh root, exactly as if it had been there all along.
 */
function lazyCommand(context: CliContext, entry: LazyCommand): Command {
  return new Command(entry.name)
    .description(entry.description)
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (_flags: unknown, stub: Command) => {
      const factory = await entry.load();
      const root = rootCommand(context).addCommand(factory(context));
      await root.parseAsync([entry.name, ...stub.args], { from: 'user' });
    });
}

/** Builds the `gekko` command tree (command modules are loaded when their command runs). */
export function buildProgram(context: CliContext): Command {
  const program = rootCommand(context);
  for (const entry of COMMANDS) program.addCommand(lazyCommand(context, entry));
  return program;
}

/**
 * Writes lines to `stream` until its reader goes away (`gekko orders list | head -1`): EPIPE then
 * ends the output quietly, as closing a pipe should, instead of an unhandled 'error' event that
 * crashed the command with a stack trace. Any other write error is still thrown.
 */
export function lineWriter(stream: NodeJS.WritableStream): (line: string) => void {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
  });
  return (line) => {
    if (!closed) stream.write(`${line}\n`);
  };
}

/** Runs the command line and returns the process exit code. */
export async function main(argv: readonly string[], context?: CliContext): Promise<number> {
  const ctx: CliContext = context ?? {
    env: process.env,
    out: lineWriter(process.stdout),
    err: lineWriter(process.stderr),
  };
  try {
    await buildProgram(ctx).parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof ConfigError) {
      ctx.err(error.message);
      return 2;
    }
    if (isNinjaError(error)) {
      ctx.err(`error (${error.code}): ${error.message}`);
      return 1;
    }
    ctx.err(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  }
}
