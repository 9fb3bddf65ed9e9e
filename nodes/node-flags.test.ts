import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RECOMMENDED_NODE_FLAGS, missingNodeFlags } from './node-flags.ts';

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
});
