// Runs every bench/*.bench.ts in its own process (so one benchmark's JIT state and garbage do not
// skew the next), one after another, and exits non-zero if any missed its target.
// Usage: npm run bench [-- name-filter]
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const runner = fileURLToPath(new URL('../cli/bin/run-ts.js', import.meta.url));
const filter = process.argv[2];
const files = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts') && (filter === undefined || f.includes(filter)))
  .sort();

const failed: string[] = [];
for (const file of files) {
  process.stdout.write(`\n=== ${file}\n`);
  const result = spawnSync(process.execPath, [runner, `${benchDir}${file}`], { stdio: 'inherit' });
  if (result.status !== 0) failed.push(`${file} (exit ${result.status ?? result.signal ?? 'unknown'})`);
}
process.stdout.write(`\n${files.length - failed.length} of ${files.length} benchmarks met their targets\n`);
if (failed.length > 0) {
  process.stdout.write(`missed: ${failed.join(', ')}\n`);
  process.exitCode = 1;
}
