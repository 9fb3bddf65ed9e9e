#!/usr/bin/env node
// `npm run build`: compiles the `gekko` command (cli/main.ts and everything it imports from this
// repository) to JavaScript in dist/cli, so that a node runs without the TypeScript loader. Under the
// loader every module's transformed source, its inline source map and Node's source-map cache stay
// in memory, and the loader's hooks run in a second V8 isolate; the compiled node carries none of it
// (docs/trading.md, Memory). Packages in node_modules stay external (loaded as installed).
//
// cli/bin/gekko.js runs dist/cli/main.js only while the build is fresh: dist/cli/inputs.json lists
// the sources it was made from, and a source changed (or gone) since the build sends gekko back to
// the TypeScript sources, so an edit is never run stale.
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = resolve(root, 'dist/cli');
// Built beside it and renamed into place: a node that is loading the previous build meanwhile does
// not see a half-written one. Same depth as outdir, so the relative URLs below hold for both.
const staging = resolve(root, `dist/cli-${String(process.pid)}`);

/**
 * A bundle has one import.meta.url for all the modules in it. The few sources that find files
 * beside themselves (package.json, proto/, migrations/) get their own URL back, written relative
 * to the output folder so that a moved or copied tree still finds its files.
 */
const ownImportMetaUrl = {
  name: 'own-import-meta-url',
  setup(builder) {
    builder.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return { contents: source, loader: 'ts' };
      const fromOut = relative(outdir, args.path).split('\\').join('/');
      return {
        contents: source.replaceAll(
          'import.meta.url',
          `new URL(${JSON.stringify(fromOut)}, import.meta.url).href`,
        ),
        loader: 'ts',
      };
    });
  },
};

const startedAtMs = Date.now();
await rm(staging, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: ['cli/main.ts'],
  outdir: staging,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  packages: 'external',
  // Linked, not inline: the maps are only read when someone runs with --enable-source-maps.
  sourcemap: 'linked',
  // Every output file in outdir itself: the relative import.meta.url above counts on it.
  chunkNames: '[name]-[hash]',
  metafile: true,
  logLevel: 'warning',
  plugins: [ownImportMetaUrl],
});
const inputs = Object.keys(result.metafile.inputs).filter((path) => !path.startsWith('node_modules/'));
await writeFile(
  resolve(staging, 'inputs.json'),
  `${JSON.stringify({ builtAtMs: startedAtMs, inputs }, null, 1)}\n`,
);
await rm(outdir, { recursive: true, force: true });
await rename(staging, outdir);
process.stdout.write(`built dist/cli/main.js from ${String(inputs.length)} sources\n`);
