import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { isNinjaError } from '../domain/errors.ts';
import { ConfigError } from '../nodes/config/index.ts';
import { databaseConfigOf } from '../nodes/index.ts';
import { openDatabase } from '../persistence/index.ts';
import { accountsCommand, balancesCommand, pnlCommand, positionsCommand } from './commands/account.ts';
import { certsCommand } from './commands/certs.ts';
import { clusterCommand } from './commands/cluster.ts';
import { configCommand } from './commands/config.ts';
import { keyCommand } from './commands/key.ts';
import { loginCommand, logoutCommand } from './commands/login.ts';
import { bookCommand, instrumentsCommand } from './commands/market.ts';
import { migrateCommand } from './commands/migrate.ts';
import { nodeCommand } from './commands/node.ts';
import { ordersCommand } from './commands/orders.ts';
import { simCommand } from './commands/sim.ts';
import { startCommand } from './commands/start.ts';
import { userCommand } from './commands/user.ts';
import { loadNode } from './context.ts';
import type { CliContext } from './context.ts';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** Builds the `gekko` command tree. Each later capability adds its command here. */
export function buildProgram(context: CliContext): Command {
  const program = new Command('gekko')
    .description('Ninja Gekko: a distributed trading runtime')
    .version(packageJson.version)
    .showHelpAfterError()
    .configureOutput({
      writeOut: (text) => context.out(text.trimEnd()),
      writeErr: (text) => context.err(text.trimEnd()),
    })
    .exitOverride();
  program.addCommand(startCommand(context));
  program.addCommand(nodeCommand(context));
  program.addCommand(clusterCommand(context));
  program.addCommand(
    migrateCommand({
      openDatabase: () => {
        const { config, logger } = loadNode(context, undefined);
        return openDatabase(databaseConfigOf(config), { logger });
      },
      out: context.out,
    }),
  );
  program.addCommand(simCommand(context));
  program.addCommand(certsCommand(context));
  program.addCommand(configCommand(context));
  // Client commands: through the SDK to a gateway (docs/cli.md).
  program.addCommand(loginCommand(context));
  program.addCommand(logoutCommand(context));
  program.addCommand(userCommand(context));
  program.addCommand(keyCommand(context));
  program.addCommand(ordersCommand(context));
  program.addCommand(instrumentsCommand(context));
  program.addCommand(bookCommand(context));
  program.addCommand(accountsCommand(context));
  program.addCommand(balancesCommand(context));
  program.addCommand(positionsCommand(context));
  program.addCommand(pnlCommand(context));
  return program;
}

/** Runs the command line and returns the process exit code. */
export async function main(argv: readonly string[], context?: CliContext): Promise<number> {
  const ctx: CliContext = context ?? {
    env: process.env,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
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
