/**
 * The Node/V8 flags a node should run with, and which of them a process was started without.
 * `npm start` passes them (package.json's start script; node-flags.test.ts keeps the two equal), the
 * benches that measure a node as deployed run it with them, and a node started without one logs it
 * at start. V8 takes neither from NODE_OPTIONS as a bare `--no-…` flag, so a node run as a service
 * gets them on its command line: `node --max-semi-space-size=4 --no-allocation-site-pretenuring
 * node_modules/.bin/gekko node start …`.
 *
 * - `--max-semi-space-size=4`: a 4 MB young generation (V8 grows it to 32 MB by default), part of
 *   keeping a development node under 200 MB (docs/trading.md, "Node memory").
 * - `--no-allocation-site-pretenuring`: V8 otherwise switches allocation sites that survived the
 *   start-up backlog to allocating in the old generation; an order's short-lived objects made there
 *   keep its young objects alive through two scavenges, so about 6 kB per order reached the old
 *   generation instead of 1.6, with three major collections per 10 s at 1,000 orders/s instead of
 *   one (docs/persistence.md, session 9).
 */
export const RECOMMENDED_NODE_FLAGS: readonly string[] = [
  '--max-semi-space-size=4',
  '--no-allocation-site-pretenuring',
];

/** `--no-x`, `--x` and `--x=value` all name the option `x` (dashes and underscores alike to V8). */
function optionName(flag: string): string {
  const bare = flag.replace(/^--?/, '').split('=')[0] ?? '';
  return bare.replace(/^no-/, '').replaceAll('_', '-');
}

/**
 * The recommended flags `execArgv` does not set. A flag given with another value (e.g.
 * `--max-semi-space-size=16`, `--allocation-site-pretenuring`) is the operator's choice and counts
 * as set.
 */
export function missingNodeFlags(execArgv: readonly string[] = process.execArgv): string[] {
  const given = new Set(execArgv.filter((arg) => arg.startsWith('-')).map(optionName));
  return RECOMMENDED_NODE_FLAGS.filter((flag) => !given.has(optionName(flag)));
}
