// `gekko cluster status --node` as an operator runs it after `gekko certs init`, with no --tls-dir:
// it finds the certificates certs init wrote, instead of asking for a CA in the development node's
// folder and telling the operator to run the certs init they already ran.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const gekko = fileURLToPath(new URL('../../../cli/bin/gekko.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ninja-cli-tls-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [gekko, ...args], {
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '',
      NINJA_DATA_DIR: join(dir, 'data'),
      NINJA_CERTS_DIR: join(dir, 'certs'),
    },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('gekko cluster status --node after gekko certs init', () => {
  it('uses the certificates certs init wrote when the development node folder has none', () => {
    const init = run(['certs', 'init', '--nodes', 'n1']);
    expect(init.status, init.stderr).toBe(0);
    // Nothing listens on port 1: the CLI gets as far as connecting, with certs init's CA.
    const status = run(['cluster', 'status', '--node', '127.0.0.1:1']);
    expect(status.status).toBe(1);
    expect(status.stderr).not.toContain('no cluster CA');
    expect(status.stderr).toContain('error (UNAVAILABLE): node at 127.0.0.1:1');
  }, 120_000);
});
