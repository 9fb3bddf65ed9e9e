import { tmpdir } from 'node:os';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateCommand } from '../../../cli/commands/migrate.ts';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import { loadMigrations, openDatabase } from '../../../persistence/index.ts';
import type { Database } from '../../../persistence/index.ts';
import { createTestDatabase, testLogger } from '../../support/index.ts';
import type { TestDatabase } from '../../support/index.ts';

const logger = testLogger('migrate-command-test');
/** The real migrations: the expectations follow them, so adding one never breaks this test. */
const migrations = await loadMigrations();
const newest = migrations.at(-1);
if (newest === undefined) throw new Error('no migrations found');
const pad = (version: number): string => String(version).padStart(4, '0');

describe('gekko migrate', () => {
  let database: TestDatabase;
  let lines: string[] = [];
  let opened = 0;
  let closed = 0;

  const program = (): Command =>
    new Command('gekko').exitOverride().addCommand(
      migrateCommand({
        out: (line) => lines.push(line),
        openDatabase: async (): Promise<Database> => {
          const db = await openDatabase(
            { url: database.url, dataDir: tmpdir(), poolMax: 2, statementTimeoutMs: 30_000 },
            { logger },
          );
          opened += 1;
          return {
            ...db,
            close: async () => {
              closed += 1;
              await db.close();
            },
          };
        },
      }),
    );

  async function run(...args: string[]): Promise<string[]> {
    lines = [];
    await program().parseAsync(['migrate', ...args], { from: 'user' });
    return lines;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('shows status, applies, reverts, and closes the database every time', async () => {
    const pending = await run('status');
    expect(pending[0]).toMatch(/^version\s+name\s+state\s+applied_at\s+checksum$/);
    expect(pending.slice(1)).toEqual(
      migrations.map((m): unknown =>
        expect.stringMatching(new RegExp(`^${pad(m.version)}\\s+${m.name}\\s+pending\\s+-\\s+-$`)),
      ),
    );

    expect(await run('up')).toEqual(
      migrations.map((m): unknown => expect.stringMatching(new RegExp(`^applied ${m.id} \\(\\d+ ms\\)$`))),
    );
    expect(await run('up')).toEqual(['schema is up to date: nothing to apply']);
    const applied = await run('status');
    expect(applied[1]).toMatch(/^0001\s+initial\s+applied\s+\d{4}-\d\d-\d\dT[\d:.]+Z\s+ok$/);

    expect(await run('down')).toEqual([
      expect.stringMatching(new RegExp(`^reverted ${newest.id} \\(\\d+ ms\\)$`)),
    ]);
    expect((await run('status'))[migrations.length]).toMatch(
      new RegExp(`^${pad(newest.version)}\\s+${newest.name}\\s+rolled_back\\s+\\S+\\s+-$`),
    );
    expect(opened).toBe(6);
    expect(closed).toBe(6);
  });

  it('rejects a count that is not a positive integer before touching the database', async () => {
    const before = opened;
    for (const bad of ['0', '-1', 'two', '1.5']) {
      await expect(run('down', bad)).rejects.toBeInstanceOf(InvalidArgumentError);
    }
    await expect(run('down', 'two')).rejects.toThrow(/n: must be a positive integer .*got "two"/);
    expect(opened).toBe(before);
  });

  it('closes the database when the command fails', async () => {
    const before = closed;
    const tooMany = migrations.length + 1;
    await expect(run('down', String(tooMany))).rejects.toThrow(
      new RegExp(`cannot revert ${tooMany} migration\\(s\\)`),
    );
    expect(closed).toBe(before + 1);
  });
});
