/**
 * What grew between two V8 heap snapshots of one process (e.g. the node-memory bench's
 * `--snapshot-at 3,9`): object counts and self sizes by constructor in each and their difference,
 * then the objects of the later snapshot that the earlier one did not have (V8 keeps an object's id
 * across the snapshots of one process), by constructor, and where they hang: for each new object,
 * the nearest object on its path from the roots that already existed (the container that grew),
 * with that container's own path from the roots.
 *
 * Run: `node --max-old-space-size=4096 cli/bin/run-ts.js bench/support/heap-snapshot-diff.ts
 *   <before.heapsnapshot> <after.heapsnapshot> [--top 30] [--paths 12]`.
 *
 * The snapshot format (node_fields, edge_fields and their types in `snapshot.meta`) is V8's, as
 * written by `v8.writeHeapSnapshot()` and `--heapsnapshot-signal`.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

interface RawSnapshot {
  readonly snapshot: {
    readonly meta: {
      readonly node_fields: readonly string[];
      readonly node_types: readonly [readonly string[], ...unknown[]];
      readonly edge_fields: readonly string[];
      readonly edge_types: readonly [readonly string[], ...unknown[]];
    };
  };
  readonly nodes: readonly number[];
  readonly edges: readonly number[];
  readonly strings: readonly string[];
}

/** One snapshot, indexed: node i's fields are at i * nodeWidth in `nodes`. */
export interface HeapGraph {
  readonly count: number;
  readonly ids: Uint32Array;
  readonly selfSize: Float64Array;
  readonly typeOf: Uint8Array;
  readonly nameOf: Uint32Array;
  /** Edges of node i are firstEdge[i] .. firstEdge[i + 1] - 1. */
  readonly firstEdge: Uint32Array;
  readonly edgeType: Uint8Array;
  readonly edgeName: Uint32Array;
  readonly edgeTo: Uint32Array;
  readonly nodeTypes: readonly string[];
  readonly edgeTypes: readonly string[];
  readonly strings: readonly string[];
}

function field(fields: readonly string[], name: string): number {
  const at = fields.indexOf(name);
  if (at < 0) throw new Error(`the heap snapshot has no node or edge field "${name}"`);
  return at;
}

export function indexSnapshot(raw: RawSnapshot): HeapGraph {
  const { meta } = raw.snapshot;
  const nodeWidth = meta.node_fields.length;
  const edgeWidth = meta.edge_fields.length;
  const fType = field(meta.node_fields, 'type');
  const fName = field(meta.node_fields, 'name');
  const fId = field(meta.node_fields, 'id');
  const fSize = field(meta.node_fields, 'self_size');
  const fEdges = field(meta.node_fields, 'edge_count');
  const eType = field(meta.edge_fields, 'type');
  const eName = field(meta.edge_fields, 'name_or_index');
  const eTo = field(meta.edge_fields, 'to_node');
  const count = raw.nodes.length / nodeWidth;
  const edgeCount = raw.edges.length / edgeWidth;
  const graph: HeapGraph = {
    count,
    ids: new Uint32Array(count),
    selfSize: new Float64Array(count),
    typeOf: new Uint8Array(count),
    nameOf: new Uint32Array(count),
    firstEdge: new Uint32Array(count + 1),
    edgeType: new Uint8Array(edgeCount),
    edgeName: new Uint32Array(edgeCount),
    edgeTo: new Uint32Array(edgeCount),
    nodeTypes: meta.node_types[0],
    edgeTypes: meta.edge_types[0],
    strings: raw.strings,
  };
  let edge = 0;
  for (let i = 0; i < count; i++) {
    const base = i * nodeWidth;
    graph.ids[i] = raw.nodes[base + fId] as number;
    graph.selfSize[i] = raw.nodes[base + fSize] as number;
    graph.typeOf[i] = raw.nodes[base + fType] as number;
    graph.nameOf[i] = raw.nodes[base + fName] as number;
    graph.firstEdge[i] = edge;
    edge += raw.nodes[base + fEdges] as number;
  }
  graph.firstEdge[count] = edge;
  for (let e = 0; e < edgeCount; e++) {
    const base = e * edgeWidth;
    graph.edgeType[e] = raw.edges[base + eType] as number;
    graph.edgeName[e] = raw.edges[base + eName] as number;
    // to_node is an offset into the nodes array, not an index.
    graph.edgeTo[e] = (raw.edges[base + eTo] as number) / nodeWidth;
  }
  return graph;
}

export async function readSnapshot(path: string): Promise<HeapGraph> {
  return indexSnapshot(JSON.parse(await readFile(path, 'utf8')) as RawSnapshot);
}

/** The group an object is counted in: its constructor for objects, its kind otherwise. */
export function groupOf(graph: HeapGraph, node: number): string {
  const type = graph.nodeTypes[graph.typeOf[node] as number] ?? '?';
  const name = graph.strings[graph.nameOf[node] as number] ?? '?';
  switch (type) {
    case 'object':
    case 'native':
      return name;
    case 'closure':
      return '(closure)';
    case 'string':
    case 'concatenated string':
    case 'sliced string':
      return '(string)';
    case 'hidden':
    case 'array':
    case 'object shape':
      // V8's internal arrays and shapes are named for what they are (e.g. "(object elements)").
      return `(${type}) ${name.length > 40 ? `${name.slice(0, 40)}…` : name}`;
    default:
      return `(${type})`;
  }
}

function edgeLabel(graph: HeapGraph, edge: number): string {
  const type = graph.edgeTypes[graph.edgeType[edge] as number] ?? '?';
  const nameOrIndex = graph.edgeName[edge] as number;
  if (type === 'element' || type === 'hidden') return `[${String(nameOrIndex)}]`;
  const name = graph.strings[nameOrIndex] ?? '?';
  return type === 'context' ? `(context ${name})` : `.${name.length > 40 ? `${name.slice(0, 40)}…` : name}`;
}

/**
 * Breadth-first from the root over strong edges: each node's parent and the edge it was reached
 * by (the shortest retaining path, as DevTools shows it first).
 */
export interface Retainers {
  /** The node each was first reached from (-1: unreachable; the root is its own parent). */
  readonly parent: Int32Array;
  /** The edge it was reached by. */
  readonly via: Int32Array;
  /** The reachable nodes in the order they were reached: a parent always before its children. */
  readonly order: Uint32Array;
}

export function shortestRetainers(graph: HeapGraph): Retainers {
  const parent = new Int32Array(graph.count).fill(-1);
  const via = new Int32Array(graph.count).fill(-1);
  const weak = graph.edgeTypes.indexOf('weak');
  const shortcut = graph.edgeTypes.indexOf('shortcut');
  const queue = new Uint32Array(graph.count);
  let head = 0;
  let tail = 0;
  queue[tail++] = 0;
  parent[0] = 0;
  while (head < tail) {
    const node = queue[head++] as number;
    for (let e = graph.firstEdge[node] as number; e < (graph.firstEdge[node + 1] as number); e++) {
      const type = graph.edgeType[e];
      if (type === weak || type === shortcut) continue;
      const to = graph.edgeTo[e] as number;
      if (parent[to] !== -1) continue;
      parent[to] = node;
      via[to] = e;
      queue[tail++] = to;
    }
  }
  return { parent, via, order: queue.subarray(0, tail) };
}

/**
 * Self size of each node plus that of everything below it in the shortest-path tree: what it
 * holds, if its shortest path is the only one (an approximation of the retained size that needs no
 * dominator tree, good enough to find the container that grew).
 */
export function treeSizes(graph: HeapGraph, retainers: Retainers): Float64Array {
  const sizes = Float64Array.from(graph.selfSize);
  for (let k = retainers.order.length - 1; k > 0; k--) {
    const node = retainers.order[k] as number;
    const up = retainers.parent[node] as number;
    sizes[up] = (sizes[up] as number) + (sizes[node] as number);
  }
  return sizes;
}

function pathFromRoot(graph: HeapGraph, retainers: Retainers, node: number, maxSteps: number): string {
  const steps: string[] = [];
  let at = node;
  while (at !== 0 && steps.length < maxSteps) {
    const up = retainers.parent[at] as number;
    if (up === -1) return `(unreachable) ${groupOf(graph, node)}`;
    steps.push(`${edgeLabel(graph, retainers.via[at] as number)} → ${groupOf(graph, at)}`);
    at = up;
  }
  return `${at === 0 ? '(root)' : '…'} ${steps.reverse().join(' ')}`;
}

interface Tally {
  count: number;
  size: number;
}

function tallyBy(graph: HeapGraph, keep: (node: number) => boolean): Map<string, Tally> {
  const tallies = new Map<string, Tally>();
  for (let i = 0; i < graph.count; i++) {
    if (!keep(i)) continue;
    const group = groupOf(graph, i);
    const tally = tallies.get(group);
    if (tally === undefined) tallies.set(group, { count: 1, size: graph.selfSize[i] as number });
    else {
      tally.count += 1;
      tally.size += graph.selfSize[i] as number;
    }
  }
  return tallies;
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} kB`;
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

export function diffSnapshots(before: HeapGraph, after: HeapGraph, top: number, paths: number): string {
  const out: string[] = [];
  const reachableBefore = shortestRetainers(before);
  const reachableAfter = shortestRetainers(after);
  const live = (graph: HeapGraph, r: { parent: Int32Array }) => (node: number) =>
    (r.parent[node] as number) !== -1 && graph.selfSize[node] !== 0;
  const a = tallyBy(before, live(before, reachableBefore));
  const b = tallyBy(after, live(after, reachableAfter));
  const total = (t: Map<string, Tally>): Tally =>
    [...t.values()].reduce((s, x) => ({ count: s.count + x.count, size: s.size + x.size }), {
      count: 0,
      size: 0,
    });
  const ta = total(a);
  const tb = total(b);
  out.push(
    `reachable objects: ${String(ta.count)} (${kb(ta.size)}) → ${String(tb.count)} (${kb(tb.size)}), ` +
      `${String(tb.count - ta.count)} objects, ${kb(tb.size - ta.size)}`,
    '',
    `## By constructor, largest growth of self size first (top ${String(top)})`,
    row(['group', 'count before', 'count after', 'Δ count', 'Δ self size']),
    row(['---', '---:', '---:', '---:', '---:']),
  );
  const groups = new Set([...a.keys(), ...b.keys()]);
  const deltas = [...groups].map((group) => {
    const x = a.get(group) ?? { count: 0, size: 0 };
    const y = b.get(group) ?? { count: 0, size: 0 };
    return { group, x, y, dSize: y.size - x.size };
  });
  deltas.sort((p, q) => q.dSize - p.dSize);
  for (const d of deltas.slice(0, top))
    out.push(
      row([d.group, String(d.x.count), String(d.y.count), String(d.y.count - d.x.count), kb(d.dSize)]),
    );

  const existed = new Set<number>();
  for (let i = 0; i < before.count; i++)
    if ((reachableBefore.parent[i] as number) !== -1) existed.add(before.ids[i] as number);
  const isNew = (node: number): boolean =>
    (reachableAfter.parent[node] as number) !== -1 && !existed.has(after.ids[node] as number);
  const fresh = tallyBy(after, isNew);
  const freshTotal = total(fresh);
  out.push(
    '',
    `## Objects of the later snapshot that the earlier one did not have: ${String(freshTotal.count)}, ${kb(freshTotal.size)} (top ${String(top)})`,
    row(['group', 'count', 'self size']),
    row(['---', '---:', '---:']),
  );
  for (const [group, t] of [...fresh.entries()].sort((p, q) => q[1].size - p[1].size).slice(0, top))
    out.push(row([group, String(t.count), kb(t.size)]));

  // Each new object is charged to the nearest object above it that already existed: the
  // container that grew (a Map, an array, a closure's context...).
  const anchors = new Map<number, Tally & { groups: Map<string, number> }>();
  for (let i = 0; i < after.count; i++) {
    if (!isNew(i)) continue;
    let at = reachableAfter.parent[i] as number;
    while (at !== 0 && isNew(at)) at = reachableAfter.parent[at] as number;
    const anchor = anchors.get(at) ?? { count: 0, size: 0, groups: new Map<string, number>() };
    anchor.count += 1;
    anchor.size += after.selfSize[i] as number;
    const group = groupOf(after, i);
    anchor.groups.set(group, (anchor.groups.get(group) ?? 0) + (after.selfSize[i] as number));
    anchors.set(at, anchor);
  }
  out.push(
    '',
    `## Where the new objects hang: the nearest older object on their shortest path from the roots (top ${String(paths)})`,
  );
  for (const [anchor, t] of [...anchors.entries()].sort((p, q) => q[1].size - p[1].size).slice(0, paths)) {
    const what = [...t.groups.entries()]
      .sort((p, q) => q[1] - p[1])
      .slice(0, 4)
      .map(([g, s]) => `${g} ${kb(s)}`)
      .join(', ');
    out.push(
      `- ${kb(t.size)} in ${String(t.count)} new objects (${what}) under ${groupOf(after, anchor)} @${String(after.ids[anchor])}`,
      `  ${pathFromRoot(after, reachableAfter, anchor, 14)}`,
    );
  }
  out.push(...grownContainers(before, reachableBefore, after, reachableAfter, paths));
  return out.join('\n');
}

/**
 * Objects present in both snapshots whose shortest-path subtree grew, where the growth is their
 * own (no single child that also existed before carries most of it): the containers that grew,
 * largest first, with what their subtree held before and after.
 */
function grownContainers(
  before: HeapGraph,
  reachableBefore: Retainers,
  after: HeapGraph,
  reachableAfter: Retainers,
  limit: number,
): string[] {
  const sizeBefore = treeSizes(before, reachableBefore);
  const sizeAfter = treeSizes(after, reachableAfter);
  const indexBefore = new Map<number, number>();
  for (const node of reachableBefore.order) indexBefore.set(before.ids[node] as number, node);
  const delta = new Float64Array(after.count).fill(Number.NaN);
  for (const node of reachableAfter.order) {
    const old = indexBefore.get(after.ids[node] as number);
    if (old !== undefined) delta[node] = (sizeAfter[node] as number) - (sizeBefore[old] as number);
  }
  // The largest growth among each node's children that existed before.
  const largestChild = new Float64Array(after.count);
  for (let k = reachableAfter.order.length - 1; k > 0; k--) {
    const node = reachableAfter.order[k] as number;
    const d = delta[node] as number;
    if (Number.isNaN(d)) continue;
    const up = reachableAfter.parent[node] as number;
    if (d > (largestChild[up] as number)) largestChild[up] = d;
  }
  const grown: number[] = [];
  for (const node of reachableAfter.order) {
    const d = delta[node] as number;
    if (d > 16 * 1024 && (largestChild[node] as number) < d / 2) grown.push(node);
  }
  grown.sort((p, q) => (delta[q] as number) - (delta[p] as number));
  const out = [
    '',
    `## Containers that grew (shortest-path subtree, growth not carried by one older child; top ${String(limit)})`,
  ];
  for (const node of grown.slice(0, limit)) {
    const old = indexBefore.get(after.ids[node] as number) as number;
    out.push(
      `- +${kb(delta[node] as number)} (${kb(sizeBefore[old] as number)} → ${kb(sizeAfter[node] as number)}) ${groupOf(after, node)} @${String(after.ids[node])}`,
      `  ${pathFromRoot(after, reachableAfter, node, 14)}`,
    );
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      top: { type: 'string', default: '30' },
      paths: { type: 'string', default: '12' },
    },
  });
  const [beforePath, afterPath] = positionals;
  if (beforePath === undefined || afterPath === undefined)
    throw new Error(
      'usage: heap-snapshot-diff.ts <before.heapsnapshot> <after.heapsnapshot> [--top N] [--paths N]',
    );
  const before = await readSnapshot(beforePath);
  const after = await readSnapshot(afterPath);
  process.stdout.write(`${diffSnapshots(before, after, Number(values.top), Number(values.paths))}\n`);
}
