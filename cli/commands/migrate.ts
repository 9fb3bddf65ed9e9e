import { Command } from 'commander';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { ChecksumState, MigrationRunner } from '../../persistence/index.ts';
import type { Database, MigrationStatus, MigrationStep } from '../../persistence/index.ts';

export interface MigrateCommandDeps {
  /** Opens the node's database (embedded PostgreSQL when no URL is configured). */
  readonly openDatabase: () => Promise<Database>;
  readonly out: (line: string) => void;
  /** Default: the repository's migrations/ folder. */
  readonly migrationsDir?: string;
}

/** `gekko migrate up | down [n] | status`: the schema migrations of the node's database. */
export function migrateCommand(deps: MigrateCommandDeps): Command {
  const migrate = new Command('migrate').description('apply, revert or list the database schema migrations');
  // Subcommands inherit this, so a usage error surfaces as a CommanderError to the caller of
  // parseAsync instead of exiting the process from inside commander.
  migrate.exitOverride();

  migrate
    .command('up')
    .description('apply every pending migration, in order, each in its own transaction')
    .action(async () => {
      const steps = await withRunner(deps, (runner) => runner.up());
      if (steps.length === 0) deps.out('schema is up to date: nothing to apply');
      for (const step of steps) deps.out(`applied ${describe(step)}`);
    });

  migrate
    .command('down')
    .description('revert the last n applied migrations, newest first (default 1)')
    .argument('[n]', 'how many migrations to revert', '1')
    .action(async (n: string) => {
      const count = parseCount(n);
      const steps = await withRunner(deps, (runner) => runner.down(count));
      for (const step of steps) deps.out(`reverted ${describe(step)}`);
    });

  migrate
    .command('status')
    .description('list every migration: state, when it was applied, whether its file still matches')
    .action(async () => {
      const statuses = await withRunner(deps, (runner) => runner.status());
      for (const line of statusTable(statuses)) deps.out(line);
    });

  return migrate;
}

async function withRunner<T>(
  deps: MigrateCommandDeps,
  act: (runner: MigrationRunner) => Promise<T>,
): Promise<T> {
  const database = await deps.openDatabase();
  try {
    const runner = new MigrationRunner({
      database,
      logger: database.logger,
      ...(deps.migrationsDir === undefined ? {} : { migrationsDir: deps.migrationsDir }),
    });
    return await act(runner);
  } finally {
    await database.close();
  }
}

function parseCount(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    throw new InvalidArgumentError(
      'n',
      `must be a positive integer (how many migrations to revert), got "${text}"`,
    );
  }
  return Number(text);
}

function describe(step: MigrationStep): string {
  return `${String(step.version).padStart(4, '0')}_${step.name} (${step.durationMs} ms)`;
}

const CHECKSUM_LABELS: Record<ChecksumState, string> = {
  [ChecksumState.OK]: 'ok',
  [ChecksumState.MISMATCH]: 'EDITED',
  [ChecksumState.MISSING_FILE]: 'NO FILE',
  [ChecksumState.NOT_APPLIED]: '-',
};

/** A fixed-width table: version, name, state, applied_at, checksum. */
export function statusTable(statuses: readonly MigrationStatus[]): string[] {
  const rows = statuses.map((status) => [
    String(status.version).padStart(4, '0'),
    status.name,
    status.state,
    status.appliedAt === null ? '-' : status.appliedAt.toISOString(),
    CHECKSUM_LABELS[status.checksum],
  ]);
  const header = ['version', 'name', 'state', 'applied_at', 'checksum'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const format = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? cell.length))
      .join('  ')
      .trimEnd();
  if (rows.length === 0) return ['no migrations found'];
  return [format(header), ...rows.map(format)];
}
