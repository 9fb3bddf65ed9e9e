#!/usr/bin/env node
// Runs a TypeScript file (a benchmark or script) through tsx's loader: `node cli/bin/run-ts.js file.ts`.
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const file = process.argv[2];
if (file === undefined) {
  process.stderr.write('usage: run-ts <file.ts> [args...]\n');
  process.exit(2);
}
register();
process.argv.splice(1, 1);
await import(pathToFileURL(resolve(file)).href);
