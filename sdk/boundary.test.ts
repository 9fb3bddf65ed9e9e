import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SDK_DIR = fileURLToPath(new URL('.', import.meta.url));

describe('the SDK package boundary', () => {
  it('imports from outside sdk/ only in sdk/internal.ts', () => {
    const crossing = readdirSync(SDK_DIR, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && file !== 'internal.ts')
      .filter((file) => {
        const depth = file.split('/').length - 1;
        const outside = `'${'../'.repeat(depth + 1)}`;
        return readFileSync(`${SDK_DIR}${file}`, 'utf8')
          .split('\n')
          .some(
            (line) => /^\s*(import|export)\b|^\s*\} from /.test(line) && line.includes(`from ${outside}`),
          );
      });
    expect(crossing).toEqual([]);
  });
});
