import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FailedPreconditionError } from '../../domain/errors.ts';
import { DEFAULT_MIGRATIONS_DIR, checksumOf, loadMigrations } from './migration-loader.ts';

const dirs: string[] = [];

async function folder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ninja-loader-'));
  dirs.push(dir);
  for (const [name, sql] of Object.entries(files)) await writeFile(join(dir, name), sql);
  return dir;
}

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('loadMigrations', () => {
  it('loads pairs in version order with the checksum of the up SQL, ignoring other files', async () => {
    const dir = await folder({
      '0010_later.up.sql': 'SELECT 10;',
      '0010_later.down.sql': 'SELECT -10;',
      '0002_first.up.sql': 'SELECT 2;',
      '0002_first.down.sql': 'SELECT -2;',
      'README.md': 'notes',
    });
    const migrations = await loadMigrations(dir);
    expect(migrations.map((m) => [m.version, m.name, m.id])).toEqual([
      [2, 'first', '0002_first'],
      [10, 'later', '0010_later'],
    ]);
    expect(migrations[0]?.checksum).toBe(checksumOf('SELECT 2;'));
  });

  it('treats CRLF and LF line endings alike, and any other edit as a change', () => {
    expect(checksumOf('SELECT 1;\r\nSELECT 2;\r\n')).toBe(checksumOf('SELECT 1;\nSELECT 2;\n'));
    expect(checksumOf('SELECT 1;\n')).not.toBe(checksumOf('SELECT 1; \n'));
  });

  it.each([
    [{ '0001_a.up.sql': 'SELECT 1;' }, /0001_a: the \.down\.sql file is missing/],
    [{ '0001_a.down.sql': 'SELECT 1;' }, /0001_a: the \.up\.sql file is missing/],
    [
      { '0001_a.up.sql': 'SELECT 1;', '0001_a.down.sql': 'SELECT 1;', '0001_b.up.sql': 'SELECT 1;' },
      /0001_b\.up\.sql: version 0001 is already used by "a"/,
    ],
    [{ '1_a.up.sql': 'SELECT 1;' }, /1_a\.up\.sql: not named NNNN_name/],
    [{ '0001_Bad-Name.up.sql': 'SELECT 1;' }, /not named NNNN_name/],
    [{ '0000_zero.up.sql': 'SELECT 1;', '0000_zero.down.sql': 'SELECT 1;' }, /version numbers start at 1/],
    [{ '0001_a.up.sql': '  \n', '0001_a.down.sql': 'SELECT 1;' }, /0001_a\.up\.sql is empty/],
    [{ '0001_a.up.sql': 'BEGIN;\nSELECT 1;\nCOMMIT;', '0001_a.down.sql': 'SELECT 1;' }, /contains "BEGIN"/],
  ])('rejects %o', async (files, message) => {
    const dir = await folder(files);
    const attempt = loadMigrations(dir);
    await expect(attempt).rejects.toBeInstanceOf(FailedPreconditionError);
    await expect(attempt).rejects.toThrow(message);
  });

  it('allows BEGIN inside comments and PL/pgSQL bodies', async () => {
    const dir = await folder({
      '0001_a.up.sql': '-- BEGIN; is fine in a comment\nDO $$\nBEGIN\n  PERFORM 1;\nEND $$;',
      '0001_a.down.sql': 'SELECT 1;',
    });
    expect(await loadMigrations(dir)).toHaveLength(1);
  });

  it('loads the repository migrations', async () => {
    const migrations = await loadMigrations(DEFAULT_MIGRATIONS_DIR);
    expect(migrations[0]?.id).toBe('0001_initial');
  });
});
