// What a node promotes into its old generation, by allocation site: V8's sampling heap profiler
// over the node's inspector (Chrome DevTools protocol), with the samples of objects that die in a
// scavenge left out and those that die in a full collection kept (`includeObjectsCollectedByMinorGC:
// false, includeObjectsCollectedByMajorGC: true`). What it reports is therefore what survived the
// young generation: what is still live at the end plus what was promoted only to die later.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SourceMap } from 'node:module';
import type { SourceMapPayload } from 'node:module';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';

export interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  /** 0-based, as the protocol gives them. */
  readonly lineNumber: number;
  readonly columnNumber: number;
}

export interface SamplingNode {
  readonly callFrame: CallFrame;
  readonly selfSize: number;
  readonly id: number;
  readonly children: readonly SamplingNode[];
}

/** `HeapProfiler.SamplingHeapProfile`: loadable as a `.heapprofile` in Chrome DevTools. */
export interface SamplingHeapProfile {
  readonly head: SamplingNode;
  readonly samples: readonly { readonly size: number; readonly nodeId: number; readonly ordinal: number }[];
}

const DEBUGGER_LINE = /Debugger listening on (ws:\/\/\S+)/;

/** The inspector's WebSocket address the node prints on stderr when started with `--inspect=…:0`. */
export function inspectorUrl(child: ChildProcessWithoutNullStreams, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => {
      child.stderr.off('data', onData);
      reject(new Error(`the node printed no inspector address within ${String(timeoutMs)} ms`));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('utf8');
      const match = DEBUGGER_LINE.exec(text);
      if (match?.[1] === undefined) return;
      clearTimeout(timer);
      child.stderr.off('data', onData);
      resolve(match[1]);
    };
    child.stderr.on('data', onData);
  });
}

/** One protocol session: commands by id, answers matched back. */
class InspectorSession {
  readonly #socket: WebSocket;
  #nextId = 1;
  readonly #pending = new Map<number, { resolve: (r: unknown) => void; reject: (e: Error) => void }>();

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
      };
      if (message.id === undefined) return; // an event: none is subscribed to
      const waiter = this.#pending.get(message.id);
      if (waiter === undefined) return;
      this.#pending.delete(message.id);
      if (message.error !== undefined) waiter.reject(new Error(`inspector: ${message.error.message}`));
      else waiter.resolve(message.result);
    });
    socket.on('close', () => {
      for (const waiter of this.#pending.values()) waiter.reject(new Error('the inspector closed'));
      this.#pending.clear();
    });
  }

  static async open(url: string): Promise<InspectorSession> {
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new InspectorSession(socket);
  }

  post(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#socket.send(JSON.stringify({ id, method, params }));
    });
  }

  close(): void {
    this.#socket.close();
  }
}

export interface PromotedSampling {
  /** Stops sampling and returns the profile. */
  stop(): Promise<SamplingHeapProfile>;
}

/** Starts sampling what the node at `url` promotes, one sample per `intervalBytes` allocated on average. */
export async function startPromotedSampling(url: string, intervalBytes: number): Promise<PromotedSampling> {
  const session = await InspectorSession.open(url);
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: intervalBytes,
    includeObjectsCollectedByMinorGC: false,
    includeObjectsCollectedByMajorGC: true,
  });
  return {
    stop: async () => {
      try {
        const { profile } = (await session.post('HeapProfiler.stopSampling')) as {
          profile: SamplingHeapProfile;
        };
        return profile;
      } finally {
        session.close();
      }
    },
  };
}

/** The source maps of a build, by the path of the script each maps. */
export type BuildSourceMaps = ReadonlyMap<string, SourceMap>;

/**
 * Reads the source maps of the build in `dir` (the compiled `gekko`, dist/cli) when the node starts:
 * others may rebuild the tree before the profile is summarised, and the chunks' names change.
 */
export async function loadBuildSourceMaps(dir: string): Promise<BuildSourceMaps> {
  const maps = new Map<string, SourceMap>();
  for (const name of await readdir(dir)) {
    if (!name.endsWith('.js.map')) continue;
    const payload = JSON.parse(await readFile(join(dir, name), 'utf8')) as SourceMapPayload;
    maps.set(join(dir, name.slice(0, -'.map'.length)), new SourceMap(payload));
  }
  return maps;
}

/** Where a frame's code is: its source file relative to the repository (or node_modules/…), and line. */
export interface FrameSource {
  readonly name: string;
  /** e.g. `actors/orders/order-runtime.ts`; undefined for native and Node-internal code. */
  readonly path: string | undefined;
  readonly line: number;
}

/** Maps a frame of the compiled build back to its TypeScript source through the build's source maps. */
export class SourceFrames {
  readonly #maps: BuildSourceMaps;
  readonly #root: string;

  constructor(root: string, maps: BuildSourceMaps) {
    this.#root = root;
    this.#maps = maps;
  }

  locate(frame: CallFrame): FrameSource {
    const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
    // ES modules have file URLs, CommonJS ones (packages such as pg) plain paths.
    const path = frame.url.startsWith('file://')
      ? fileURLToPath(frame.url)
      : frame.url.startsWith('/')
        ? frame.url
        : undefined;
    if (path === undefined) return { name, path: undefined, line: frame.lineNumber + 1 };
    const entry = this.#maps.get(path)?.findEntry(frame.lineNumber, frame.columnNumber);
    if (entry !== undefined && 'originalSource' in entry) {
      const source = entry.originalSource.replace(
        /^.*?\/(?=(?:actors|venues|domain|cluster|nodes|gateway|persistence|observability|bench|node_modules)\/)/,
        '',
      );
      return { name, path: source, line: entry.originalLine + 1 };
    }
    return { name, path: path.replace(this.#root, ''), line: frame.lineNumber + 1 };
  }

  describe(frame: CallFrame): string {
    const { name, path, line } = this.locate(frame);
    if (path === undefined) return `${name} ${frame.url || '(native)'}`;
    return `${name} ${path}:${String(line)}`;
  }
}

/**
 * The largest allocation sites of a profile, in MB per minute of `minutes`: by the function that
 * allocated (self), and by that function with its `callers` nearest callers (where a shared helper
 * such as a decimal constructor was called from).
 */
export function summarisePromoted(
  profile: SamplingHeapProfile,
  maps: BuildSourceMaps,
  minutes: number,
  top: number,
  callers = 3,
): string {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const frames = new SourceFrames(root, maps);
  const bySite = new Map<string, number>();
  const byStack = new Map<string, number>();
  let total = 0;
  const walk = (node: SamplingNode, stack: readonly string[]): void => {
    const here = [...stack, frames.describe(node.callFrame)];
    if (node.selfSize > 0) {
      total += node.selfSize;
      const site = here.at(-1) ?? '(root)';
      bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
      const chain = here
        .slice(-1 - callers)
        .reverse()
        .join('  <  ');
      byStack.set(chain, (byStack.get(chain) ?? 0) + node.selfSize);
    }
    for (const child of node.children) walk(child, here);
  };
  walk(profile.head, []);
  const perMinute = (bytes: number): string => `${(bytes / 1024 / 1024 / minutes).toFixed(2)} MB/min`;
  const list = (m: Map<string, number>): string =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(
        ([k, v]) => `  ${perMinute(v).padStart(13)}  ${((v / total) * 100).toFixed(1).padStart(5)} %  ${k}`,
      )
      .join('\n');
  return (
    `promoted (survived the young generation; live at the end or died in a full collection), sampled: ` +
    `${perMinute(total)} (${(total / 1024 / 1024).toFixed(1)} MB over ${minutes.toFixed(1)} min)\n` +
    `by allocating function:\n${list(bySite)}\n` +
    `by allocating function and its ${String(callers)} nearest callers:\n${list(byStack)}`
  );
}
