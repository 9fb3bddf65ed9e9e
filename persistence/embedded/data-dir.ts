import { randomBytes } from 'node:crypto';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { FailedPreconditionError } from '../../domain/errors.ts';
import type { Logger } from '../../observability/index.ts';
import { isProcessAlive } from './process-control.ts';

export const DataDirState = {
  /** Missing or empty: initdb will create a cluster there. */
  EMPTY: 'empty',
  /** Holds a cluster (PG_VERSION present): reuse it. */
  INITIALISED: 'initialised',
} as const;
export type DataDirState = (typeof DataDirState)[keyof typeof DataDirState];

/** Our bookkeeping inside the data directory (PostgreSQL ignores files it does not know). */
const CREDENTIALS_FILE = 'ninja-embedded.json';
const credentialsSchema = z.object({ user: z.string().min(1), password: z.string().min(16) });
export type ServerCredentials = z.infer<typeof credentialsSchema>;

export async function inspectDataDir(dataDir: string): Promise<DataDirState> {
  let entries: string[];
  try {
    entries = await readdir(dataDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return DataDirState.EMPTY;
    throw error;
  }
  if (entries.length === 0) return DataDirState.EMPTY;
  if (entries.includes('PG_VERSION')) return DataDirState.INITIALISED;
  throw new FailedPreconditionError(
    `${dataDir} is neither empty nor a PostgreSQL data directory (no PG_VERSION); refusing to use it for the embedded database`,
    { details: { dataDir } },
  );
}

/** A fresh superuser password for a new cluster. */
export function newCredentials(): ServerCredentials {
  return { user: 'postgres', password: randomBytes(24).toString('base64url') };
}

export async function writeCredentials(dataDir: string, credentials: ServerCredentials): Promise<void> {
  await writeFile(join(dataDir, CREDENTIALS_FILE), JSON.stringify(credentials), { mode: 0o600 });
}

export async function readCredentials(dataDir: string): Promise<ServerCredentials> {
  const file = join(dataDir, CREDENTIALS_FILE);
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') {
      throw new FailedPreconditionError(
        `cannot read ${file} (${code ?? 'error'}): the embedded database password is kept there`,
        {
          cause: error,
          details: { dataDir },
        },
      );
    }
    throw new FailedPreconditionError(
      `${dataDir} holds a PostgreSQL cluster but not ${CREDENTIALS_FILE}, so its password is unknown: ` +
        'it was not created by Ninja Gekko or its initialisation was interrupted. Point database.url at it, ' +
        'or move the directory away to start with a new, empty database',
      { cause: error, details: { dataDir } },
    );
  }
  const parsed = credentialsSchema.safeParse(JSON.parse(raw));
  if (!parsed.success) {
    throw new FailedPreconditionError(
      `${file} is malformed: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
    );
  }
  return parsed.data;
}

/**
 * Deals with `postmaster.pid` left by a server that did not shut down cleanly. PostgreSQL itself
 * refuses to start while the PID in that file belongs to a live process, which after a crash is
 * often an unrelated process that reused the PID (containers restart PIDs from 1). We remove the
 * file when its PID is dead or is not a PostgreSQL server of this directory, and refuse with a
 * clear message when a server really is running there.
 */
export async function clearStalePidFile(dataDir: string, logger: Logger): Promise<void> {
  const file = join(dataDir, 'postmaster.pid');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const pid = Number.parseInt(text.split('\n')[0] ?? '', 10);
  if (Number.isInteger(pid) && pid > 0 && isProcessAlive(pid)) {
    const command = await commandLineOf(pid);
    // Conservative: any live process that might be a PostgreSQL server keeps its lock file.
    const mayBeServer = command === undefined || command.includes('postgres');
    if (mayBeServer) {
      throw new FailedPreconditionError(
        `a PostgreSQL server (pid ${pid}) is already running on ${dataDir}; stop it (\`kill -INT ${pid}\`) ` +
          'or give this node another data directory',
        { details: { dataDir, pid } },
      );
    }
  }
  await rm(file, { force: true });
  logger.warn(
    { stalePid: Number.isInteger(pid) ? pid : null },
    'removed stale postmaster.pid: the previous embedded PostgreSQL did not shut down cleanly (crash recovery will run)',
  );
}

/** The command line of a process on Linux; undefined where /proc is unavailable. */
async function commandLineOf(pid: number): Promise<string | undefined> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && process.platform === 'linux') return ''; // exited meanwhile: not a server
    return undefined;
  }
}
