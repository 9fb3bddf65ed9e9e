// `gekko … | head -1`: the reader closes the pipe before the command has written everything. The
// command ends quietly, as Unix tools do, instead of crashing on EPIPE with a stack trace.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const gekko = fileURLToPath(new URL('../../../cli/bin/gekko.js', import.meta.url));

describe('gekko writing to a closed pipe', () => {
  it('exits 0 without an EPIPE crash', async () => {
    const child = spawn(process.execPath, [gekko, '--help'], {
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The reader goes away before the command (seconds to load) writes its first line.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(stderr).not.toContain('EPIPE');
    expect(code).toBe(0);
  }, 60_000);
});
