import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../domain/errors.ts';
import { niceHelperThreads } from './helper-threads.ts';

const RUN_TS = fileURLToPath(new URL('../cli/bin/run-ts.js', import.meta.url));
const MODULE = fileURLToPath(new URL('./helper-threads.ts', import.meta.url));

describe('niceHelperThreads', () => {
  it.runIf(process.platform === 'linux')(
    'renices every thread of the process but the event loop’s',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'gekko-nice-'));
      try {
        const script = join(dir, 'probe.mts');
        // A separate process: a nice value raised cannot be lowered again without privileges.
        writeFileSync(
          script,
          `import { readFileSync, readdirSync } from 'node:fs';
          import { niceHelperThreads } from ${JSON.stringify(MODULE)};
          const changed = niceHelperThreads(7);
          const nice = (tid: string) => Number(readFileSync('/proc/self/task/' + tid + '/stat', 'utf8').split(') ')[1]?.split(' ')[16]);
          const threads = readdirSync('/proc/self/task').map((tid) => ({ main: Number(tid) === process.pid, nice: nice(tid) }));
          console.log(JSON.stringify({ changed, threads }));`,
        );
        const out = execFileSync(process.execPath, [RUN_TS, script], { encoding: 'utf8' });
        const { changed, threads } = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as {
          changed: number;
          threads: { main: boolean; nice: number }[];
        };
        expect(changed).toBeGreaterThan(0);
        expect(threads.filter((t) => t.main)).toEqual([{ main: true, nice: 0 }]);
        const helpers = threads.filter((t) => !t.main);
        expect(helpers.length).toBe(changed);
        expect(helpers.every((t) => t.nice === 7)).toBe(true);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    30_000,
  );

  it('refuses a value outside -20..19 before touching a thread', () => {
    expect(() => niceHelperThreads(20)).toThrow(InvalidArgumentError);
    expect(() => niceHelperThreads(1.5)).toThrow(InvalidArgumentError);
  });
});
