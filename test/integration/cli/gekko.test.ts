import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMigrations } from '../../../persistence/index.ts';
import { createTestDatabase } from '../../support/index.ts';
import type { TestDatabase } from '../../support/index.ts';

const gekko = fileURLToPath(new URL('../../../cli/bin/gekko.js', import.meta.url));
const dirs: string[] = [];
const databases: TestDatabase[] = [];

function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ninja-cli-'));
  // As root the embedded PostgreSQL runs as its own OS user, which must be able to enter the folder.
  chmodSync(dir, 0o755);
  dirs.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(databases.map((d) => d.drop()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function run(
  args: string[],
  env: Record<string, string> = {},
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [gekko, ...args], {
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Resolves with the first JSON log line whose msg matches, or rejects when the process exits first. */
function waitForLog(
  child: ChildProcessWithoutNullStreams,
  msg: string,
  seen: string[],
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onData = (chunk: Buffer): void => {
      buffer += chunk.toString();
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        seen.push(line);
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (entry['msg'] === msg) {
          child.stderr.off('data', onData);
          resolve(entry);
        }
      }
    };
    child.stderr.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`gekko exited (${code}) before "${msg}":\n${seen.join('\n')}`)),
    );
  });
}

describe('the gekko command', () => {
  it('lists its commands', () => {
    const { status, stdout } = run(['--help']);
    expect(status).toBe(0);
    for (const command of ['start', 'migrate', 'config']) expect(stdout).toContain(command);
  });

  it('refuses a bad configuration with exit code 2, naming the field and variable', () => {
    const { status, stderr } = run(['config', 'check'], { NINJA_HTTP_PORT: '80800' });
    expect(status).toBe(2);
    expect(stderr).toContain('gateway.httpPort (env NINJA_HTTP_PORT)');
  });

  it('refuses to start in production without its secrets, listing each', () => {
    const { status, stderr } = run(['start'], { NINJA_ENV: 'production', NINJA_DATA_DIR: tempDataDir() });
    expect(status).toBe(2);
    for (const name of ['DATABASE_URL', 'NINJA_JWT_SIGNING_KEYS', 'NINJA_CREDENTIAL_KEY']) {
      expect(stderr).toContain(name);
    }
  });

  it('migrates a configured database up, reports status, and down', async () => {
    const database = await createTestDatabase({ poolMax: 2 });
    databases.push(database);
    const env = { DATABASE_URL: database.url, NINJA_DATA_DIR: tempDataDir(), NINJA_LOG_LEVEL: 'warn' };
    expect(run(['migrate', 'up'], env).stdout).toMatch(/applied 0001_initial/);
    expect(run(['migrate', 'status'], env).stdout).toMatch(/0001\s+initial\s+applied/);
    // `down` reverts the newest migration, whichever that is.
    const newest = (await loadMigrations()).at(-1)?.id ?? 'no migrations';
    expect(run(['migrate', 'down'], env).stdout).toContain(`reverted ${newest}`);
    const bad = run(['migrate', 'down', '0'], env);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('n: must be a positive integer');
  });

  it('starts a node on the embedded defaults, serves health and metrics, and stops cleanly on SIGTERM', async () => {
    const dataDir = tempDataDir();
    const child = spawn(process.execPath, [gekko, 'start'], {
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '',
        NINJA_DATA_DIR: dataDir,
        NINJA_HTTP_PORT: '0',
        NINJA_GRPC_PORT: '0',
        XDG_CONFIG_HOME: dataDir,
      },
    });
    const seen: string[] = [];
    const ready = await waitForLog(child, 'node ready', seen);
    const base = String(ready['http']);
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(seen.join('\n')).toContain('generated development secrets');
    expect(seen.join('\n')).toContain('applied migration');

    const readiness = await fetch(`${base}/readyz`);
    expect(readiness.status).toBe(200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('ninja_db_transactions_total');
    expect(metrics).toContain('ninja_process_cpu_user_seconds_total');

    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const stopped = waitForLog(child, 'node stopped', seen);
    child.kill('SIGTERM');
    await stopped;
    expect(await exited).toBe(0);
  });
});
