import { setFlagsFromString } from 'node:v8';

/**
 * The Node/V8 flags a node should run with, and which of them a process was started without.
 * `npm start` passes them (package.json's start script; node-flags.test.ts keeps the two equal), the
 * benches that measure a node as deployed run it with them. A node started without one sets what V8
 * takes at run time itself (`applyNodeFlagsAtRunTime`) and logs the rest. A node run as a service
 * needs only `NODE_OPTIONS=--max-semi-space-size=8` (V8 sizes the young generation when the process
 * starts; NODE_OPTIONS takes that flag, not the bare `--no-…` one, which the node sets itself).
 *
 * - `--max-semi-space-size=8`: a 16 MB young generation (V8 grows it to 32 MB by default), part of
 *   keeping a development node under 200 MB (docs/trading.md, "Node memory"). 4 MB semi-spaces
 *   (sessions 7–11) scavenged twice as often for 7 MB less RSS: session 12 measured 8 MB at 5–22 %
 *   less node CPU per venue event, a lower RSS slope and a better order-path p99 (docs/trading.md,
 *   "Session 12").
 * - `--no-allocation-site-pretenuring`: V8 otherwise switches allocation sites that survived the
 *   start-up backlog to allocating in the old generation; an order's short-lived objects made there
 *   keep its young objects alive through two scavenges, so about 6 kB per order reached the old
 *   generation instead of 1.6, with three major collections per 10 s at 1,000 orders/s instead of
 *   one (docs/persistence.md, session 9). V8 reads it when a collection processes its allocation
 *   sites' feedback, so setting it at run time, before the node's work starts, has the same effect.
 */
export const RECOMMENDED_NODE_FLAGS: readonly string[] = [
  '--max-semi-space-size=8',
  '--no-allocation-site-pretenuring',
];

/** `--no-x`, `--x` and `--x=value` all name the option `x` (dashes and underscores alike to V8). */
function optionName(flag: string): string {
  const bare = flag.replace(/^--?/, '').split('=')[0] ?? '';
  return bare.replace(/^no-/, '').replaceAll('_', '-');
}

/** Options V8 honours when set after the process started (see the flags above). */
const SETTABLE_AT_RUN_TIME: ReadonlySet<string> = new Set(['allocation-site-pretenuring']);

/**
 * The recommended flags neither `execArgv` nor `nodeOptions` (the NODE_OPTIONS text) sets. A flag
 * given with another value (e.g. `--max-semi-space-size=16`, `--allocation-site-pretenuring`) is the
 * operator's choice and counts as set.
 */
export function missingNodeFlags(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string = process.env['NODE_OPTIONS'] ?? '',
): string[] {
  const words = [...execArgv, ...nodeOptions.split(/\s+/)];
  const given = new Set(words.filter((arg) => arg.startsWith('-')).map(optionName));
  return RECOMMENDED_NODE_FLAGS.filter((flag) => !given.has(optionName(flag)));
}

/**
 * Sets those of the `missing` flags V8 honours at run time (`v8.setFlagsFromString`); call it once,
 * when the node starts, before its work does. Returns what it set and what is still missing (those
 * V8 applies only at start-up, for the node to log).
 */
export function applyNodeFlagsAtRunTime(missing: readonly string[] = missingNodeFlags()): {
  readonly applied: readonly string[];
  readonly missing: readonly string[];
} {
  const applied = missing.filter((flag) => SETTABLE_AT_RUN_TIME.has(optionName(flag)));
  for (const flag of applied) setFlagsFromString(flag);
  return { applied, missing: missing.filter((flag) => !applied.includes(flag)) };
}
