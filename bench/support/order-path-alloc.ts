// Bytes allocated per order in the order-path bench's paced phase, by allocation site and by who
// allocated: the node's code, the paper venue or the bench's load generator, which share the
// bench's process. From V8's sampling heap profile taken with the objects that minor and major GCs
// collected included, i.e. every allocation, whether it died young or not (V8 scales each sample to
// an unbiased estimate of the bytes allocated at its site).
import { fileURLToPath } from 'node:url';
import { SourceFrames } from './promoted-profile.ts';
import type { BuildSourceMaps, SamplingHeapProfile, SamplingNode } from './promoted-profile.ts';

/** Who an allocation is charged to. */
export const AllocationOwner = {
  node: 'node',
  paperVenue: 'paper venue',
  loadGenerator: 'load generator',
  unattributed: 'unattributed',
} as const;
export type AllocationOwner = (typeof AllocationOwner)[keyof typeof AllocationOwner];

/**
 * The owner of a source file, or undefined for code that works for whoever calls it (domain values,
 * observability, libraries, Node's own), whose allocations go to the nearest caller that has one.
 */
export function ownerOfSource(path: string | undefined): AllocationOwner | undefined {
  if (path === undefined || path.includes('node_modules/')) return undefined;
  if (path.startsWith('bench/')) return AllocationOwner.loadGenerator;
  if (path.startsWith('venues/paper/')) return AllocationOwner.paperVenue;
  if (path.startsWith('domain/') || path.startsWith('observability/')) return undefined;
  if (/^(?:actors|persistence|cluster|nodes|gateway|venues)\//.test(path)) return AllocationOwner.node;
  return undefined;
}

/**
 * The libraries only the node drives in the bench's process (the journal's pg client, the actor
 * kernel's nact): what they allocate from their own callbacks (a socket's data, a mailbox's turn),
 * with no owner's frame on the stack, is the node's.
 */
function ownerOfLibrary(path: string | undefined): AllocationOwner | undefined {
  return path !== undefined && /(?:^|\/)node_modules\/(?:pg|pg-pool|pg-protocol|nact)\//.test(path)
    ? AllocationOwner.node
    : undefined;
}

interface Site {
  bytes: number;
  readonly owner: AllocationOwner;
}

/**
 * What the profile allocated per order (`orders` in the sampled phase): the total and each owner's
 * share, then each owner's largest sites, by allocating function and by that function with its
 * `callers` nearest callers.
 */
export function summariseAllocations(
  profile: SamplingHeapProfile,
  maps: BuildSourceMaps,
  orders: number,
  top = 25,
  callers = 3,
): string {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const frames = new SourceFrames(root, maps);
  const byOwner = new Map<AllocationOwner, number>();
  const bySite = new Map<string, Site>();
  const byStack = new Map<string, Site>();
  let total = 0;
  const add = (m: Map<string, Site>, key: string, owner: AllocationOwner, bytes: number): void => {
    const site = m.get(key);
    if (site === undefined) m.set(key, { bytes, owner });
    else site.bytes += bytes;
  };
  const walk = (
    node: SamplingNode,
    stack: readonly string[],
    owners: readonly (AllocationOwner | undefined)[],
    libraryOwners: readonly (AllocationOwner | undefined)[],
  ): void => {
    const located = frames.locate(node.callFrame);
    const here = [...stack, frames.describe(node.callFrame)];
    const ownersHere = [...owners, ownerOfSource(located.path)];
    const libraries = [...libraryOwners, ownerOfLibrary(located.path)];
    if (node.selfSize > 0) {
      total += node.selfSize;
      const owner =
        ownersHere.findLast((o) => o !== undefined) ??
        libraries.findLast((o) => o !== undefined) ??
        AllocationOwner.unattributed;
      byOwner.set(owner, (byOwner.get(owner) ?? 0) + node.selfSize);
      add(bySite, here.at(-1) ?? '(root)', owner, node.selfSize);
      add(
        byStack,
        here
          .slice(-1 - callers)
          .reverse()
          .join('  <  '),
        owner,
        node.selfSize,
      );
    }
    for (const child of node.children) walk(child, here, ownersHere, libraries);
  };
  walk(profile.head, [], [], []);
  const perOrder = (bytes: number): string => `${(bytes / Math.max(1, orders)).toFixed(0)} B`;
  const lines = [
    `allocated (sampled, young and old collected included): ${perOrder(total)} per order over ${String(orders)} orders`,
    ...Object.values(AllocationOwner).map(
      (owner) => `  ${owner}: ${perOrder(byOwner.get(owner) ?? 0)} per order`,
    ),
  ];
  const list = (m: Map<string, Site>, owner: AllocationOwner): string[] =>
    [...m.entries()]
      .filter(([, site]) => site.owner === owner)
      .sort((a, b) => b[1].bytes - a[1].bytes)
      .slice(0, top)
      .map(([key, site]) => `    ${perOrder(site.bytes).padStart(8)}  ${key}`);
  for (const owner of Object.values(AllocationOwner)) {
    lines.push(`${owner}, by allocating function (per order):`, ...list(bySite, owner));
    lines.push(`${owner}, by allocating function and ${String(callers)} callers:`, ...list(byStack, owner));
  }
  return lines.join('\n') + '\n';
}
