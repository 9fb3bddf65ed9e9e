import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RECOMMENDED_NODE_FLAGS, applyNodeFlagsAtRunTime, missingNodeFlags } from './node-flags.ts';

/**
 * A process that allocates object literals which survive a few scavenges (what V8's allocation-site
 * pretenuring feeds on), with V8 tracing its pretenuring decisions; `setAtRunTime` flags are set by
 * the script before it allocates. Returns the number of allocation sites V8 reported on.
 */
function pretenuringDecisions(setAtRunTime: readonly string[]): number {
  const script = `
    const v8 = require('node:v8');
    for (const flag of ${JSON.stringify(setAtRunTime)}) v8.setFlagsFromString(flag);
    const keep = [];
    for (let round = 0; round < 100; round += 1) {
      for (let i = 0; i < 20000; i += 1) keep.push({ a: i, b: [i], c: { d: i } });
      if (keep.length > 100000) keep.splice(0, 50000);
    }`;
  const out = execFileSync(process.execPath, ['--trace-pretenuring-statistics', '-e', script], {
    encoding: 'utf8',
  });
  return out.split('\n').filter((line) => line.includes('pretenuring: AllocationSite')).length;
}

describe('the flags a node runs with', () => {
  it('are what npm start passes, in the same order', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      scripts: { start: string };
    };
    const words = pkg.scripts.start.split(/\s+/);
    expect(words[0]).toBe('node');
    const flags = words.slice(
      1,
      words.findIndex((w) => !w.startsWith('-') && w !== 'node'),
    );
    expect(flags).toEqual(RECOMMENDED_NODE_FLAGS);
  });

  it('names those a process was started without, and takes another value of one as the operator’s choice', () => {
    expect(missingNodeFlags([])).toEqual([...RECOMMENDED_NODE_FLAGS]);
    expect(missingNodeFlags([...RECOMMENDED_NODE_FLAGS])).toEqual([]);
    expect(missingNodeFlags(['--max-semi-space-size=16', '--allocation-site-pretenuring'])).toEqual([]);
    expect(missingNodeFlags(['--max_semi_space_size=8', '--cpu-prof'])).toEqual([
      '--no-allocation-site-pretenuring',
    ]);
  });

  it('counts flags given in NODE_OPTIONS as given', () => {
    expect(missingNodeFlags([], '--max-semi-space-size=8')).toEqual(['--no-allocation-site-pretenuring']);
    expect(missingNodeFlags([], '')).toEqual([...RECOMMENDED_NODE_FLAGS]);
  });

  it('sets at run time the flags V8 honours then, and leaves the rest to be logged', () => {
    expect(applyNodeFlagsAtRunTime([])).toEqual({ applied: [], missing: [] });
    expect(applyNodeFlagsAtRunTime([...RECOMMENDED_NODE_FLAGS])).toEqual({
      applied: ['--no-allocation-site-pretenuring'],
      missing: ['--max-semi-space-size=8'],
    });
  });

  it('V8 makes no pretenuring decision once --no-allocation-site-pretenuring is set at run time', () => {
    expect(pretenuringDecisions([])).toBeGreaterThan(0);
    expect(pretenuringDecisions(applyNodeFlagsAtRunTime([...RECOMMENDED_NODE_FLAGS]).applied)).toBe(0);
  });
});
