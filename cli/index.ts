// The `gekko` command line; `cli/bin/gekko.js` is the executable.
export { buildProgram, main } from './main.ts';
export type { CliContext, LoadedNode } from './context.ts';
