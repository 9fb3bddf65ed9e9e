#!/usr/bin/env node
// Entry point of the `gekko` command. It runs the compiled build (dist/cli, made by `npm run build`,
// which `npm start` runs first) when that build is fresh: a node under the TypeScript loader holds
// about 60 MB more (transformed sources, source maps, the loader's own isolate). Without a build, or
// when any source it was made from has changed since, the TypeScript sources run through tsx's
// loader, so no build step is needed after `npm ci` and an edit is never run stale.
// NINJA_RUN_SOURCES=1 always runs the sources, and so does a test node given NINJA_TEST_KINDS_MODULE.
import { readFileSync, statSync } from 'node:fs';
import { URL, fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The compiled main module's URL, or undefined when there is no build or it is older than a source. */
function freshBuild() {
  if (process.env['NINJA_RUN_SOURCES'] === '1') return undefined;
  // A test node loads its test-only kinds from a TypeScript module: only the loader can import it.
  const testKinds = process.env['NINJA_TEST_KINDS_MODULE'];
  if (testKinds !== undefined && testKinds !== '') return undefined;
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(`${root}dist/cli/inputs.json`, 'utf8'));
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
  for (const input of manifest.inputs) {
    // A source that is gone makes the build stale too (statSync answers undefined).
    const stat = statSync(`${root}${input}`, { throwIfNoEntry: false });
    if (stat === undefined || stat.mtimeMs >= manifest.builtAtMs) return undefined;
  }
  return new URL('../../dist/cli/main.js', import.meta.url).href;
}

const built = freshBuild();
let main;
if (built !== undefined) {
  ({ main } = await import(built));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../main.ts'));
}
process.exitCode = await main(process.argv);
