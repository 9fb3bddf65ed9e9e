import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FailedPreconditionError } from '../../domain/errors.ts';
import type { Migration } from './migration.ts';

/** The repository's `migrations/` folder. */
export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

const FILE_NAME = /^(\d{4,})_([a-z0-9][a-z0-9_]*)\.(up|down)\.sql$/;
/** The runner wraps each migration in its own transaction; one inside would end it early. */
const TRANSACTION_CONTROL = /^\s*(BEGIN|COMMIT|ROLLBACK|START\s+TRANSACTION)\b[^;\n]*;/im;

/**
 * Reads and validates the migration pairs in `dir`, ordered by version. Every `.sql` file must be
 * named `NNNN_name.up.sql` or `NNNN_name.down.sql`; each version needs both halves under one name;
 * other files (a README) are ignored. Violations fail with FailedPreconditionError naming the files.
 */
export async function loadMigrations(dir: string = DEFAULT_MIGRATIONS_DIR): Promise<readonly Migration[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    throw new FailedPreconditionError(`cannot read the migrations directory ${dir}`, { cause: error });
  }
  const byVersion = new Map<number, { name: string; up?: string; down?: string }>();
  const problems: string[] = [];
  for (const file of entries.filter((entry) => entry.endsWith('.sql')).sort()) {
    const match = FILE_NAME.exec(file);
    if (match === null) {
      problems.push(
        `${file}: not named NNNN_name.up.sql or NNNN_name.down.sql (lower-case name, digits, "_")`,
      );
      continue;
    }
    const [, digits = '', name = '', direction = ''] = match;
    const version = Number.parseInt(digits, 10);
    if (version < 1) {
      problems.push(`${file}: version numbers start at 1`);
      continue;
    }
    const entry = byVersion.get(version) ?? { name };
    if (entry.name !== name) {
      problems.push(
        `${file}: version ${digits} is already used by "${entry.name}"; each number may be used once`,
      );
      continue;
    }
    if (direction === 'up') entry.up = file;
    else entry.down = file;
    byVersion.set(version, entry);
  }
  for (const [version, entry] of byVersion) {
    if (entry.up === undefined) problems.push(`${idOf(version, entry.name)}: the .up.sql file is missing`);
    if (entry.down === undefined)
      problems.push(`${idOf(version, entry.name)}: the .down.sql file is missing`);
  }
  if (problems.length > 0) {
    throw new FailedPreconditionError(`invalid migrations in ${dir}:\n  ${problems.join('\n  ')}`, {
      details: { dir, problems },
    });
  }

  const migrations: Migration[] = [];
  for (const [version, entry] of [...byVersion].sort(([a], [b]) => a - b)) {
    const upFile = join(dir, entry.up ?? '');
    const downFile = join(dir, entry.down ?? '');
    const [upSql, downSql] = await Promise.all([readFile(upFile, 'utf8'), readFile(downFile, 'utf8')]);
    for (const [file, sql] of [
      [upFile, upSql],
      [downFile, downSql],
    ] as const) {
      if (sql.trim() === '') throw new FailedPreconditionError(`${file} is empty`);
      const control = TRANSACTION_CONTROL.exec(withoutComments(sql));
      if (control !== null) {
        throw new FailedPreconditionError(
          `${file} contains "${control[1] ?? ''}": each migration already runs in its own transaction; remove it`,
        );
      }
    }
    migrations.push({
      version,
      name: entry.name,
      id: idOf(version, entry.name),
      upFile,
      downFile,
      upSql,
      downSql,
      checksum: checksumOf(upSql),
    });
  }
  return migrations;
}

/** sha256 hex of the SQL with CRLF turned into LF, so a checkout on Windows does not look edited. */
export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql.replaceAll('\r\n', '\n'), 'utf8').digest('hex');
}

function idOf(version: number, name: string): string {
  return `${String(version).padStart(4, '0')}_${name}`;
}

function withoutComments(sql: string): string {
  return sql.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
}
