import { afterEach, describe, expect, it } from 'vitest';
import {
  Directive,
  Terminated,
  TerminationCause,
  createActorSystem,
  defineActor,
} from '../../../actors/index.ts';
import type { ActorRef, ActorSystem, ReplyTo, SupervisionOptions } from '../../../actors/index.ts';
import { MetricsRegistry } from '../../../observability/index.ts';
import { testLogger } from '../../support/index.ts';
import { eventually, metricValue, systemName } from './actor-test-kit.ts';

type WatcherMsg =
  | { readonly type: 'watch'; readonly ref: ActorRef<never> }
  | { readonly type: 'unwatch'; readonly ref: ActorRef<never> }
  | { readonly type: 'log'; readonly replyTo: ReplyTo<readonly string[]> }
  | { readonly type: 'hold'; readonly until: Promise<void> }
  | Terminated;

/** Records each Terminated it receives as `identity:cause`. */
const watcherKind = defineActor<string[], WatcherMsg>({
  kind: 'watcher',
  initialState: () => [],
  receive: (seen, msg, ctx) => {
    if (msg instanceof Terminated) return [...seen, `${msg.identity}:${msg.cause}`];
    switch (msg.type) {
      case 'watch':
        ctx.watch(msg.ref);
        return seen;
      case 'unwatch':
        ctx.unwatch(msg.ref);
        return seen;
      case 'log':
        ctx.reply(msg.replyTo, seen);
        return seen;
      case 'hold':
        return msg.until.then(() => seen);
    }
  },
});

/** A watcher whose own messages do not include Terminated: it must map the notice. */
type MappedMsg =
  | { readonly type: 'watch'; readonly ref: ActorRef<never> }
  | { readonly type: 'gone'; readonly who: string }
  | { readonly type: 'log'; readonly replyTo: ReplyTo<readonly string[]> };
const mappingWatcherKind = defineActor<string[], MappedMsg>({
  kind: 'mapping-watcher',
  initialState: () => [],
  receive: (seen, msg, ctx) => {
    switch (msg.type) {
      case 'watch':
        ctx.watch(msg.ref, (terminated) => ({ type: 'gone', who: terminated.identity }));
        return seen;
      case 'gone':
        return [...seen, msg.who];
      case 'log':
        ctx.reply(msg.replyTo, seen);
        return seen;
    }
  },
});

type WorkerMsg = { readonly type: 'fail' } | { readonly type: 'ok' };
const failFast = { initialMs: 1, maxMs: 1, jitter: 0 };
const workerKind = (kind: string, supervision: SupervisionOptions) =>
  defineActor<number, WorkerMsg>({
    kind,
    initialState: () => 0,
    receive: (state, msg) => {
      if (msg.type === 'fail') throw new Error('induced failure');
      return state + 1;
    },
    supervision,
  });

let system: ActorSystem;
let metrics: MetricsRegistry;

function newSystem(): ActorSystem {
  metrics = new MetricsRegistry();
  system = createActorSystem({ name: systemName('death-watch'), logger: testLogger('death-watch'), metrics });
  return system;
}

const log = (watcher: ActorRef<WatcherMsg>): Promise<readonly string[]> =>
  system.request(watcher, (replyTo: ReplyTo<readonly string[]>): WatcherMsg => ({ type: 'log', replyTo }), {
    timeoutMs: 2_000,
  });

/** Retries `call` while the mailbox refuses it (ResourceExhausted), for up to 2 s. */
async function untilAdmitted<T>(call: () => Promise<T>): Promise<T> {
  const until = Date.now() + 2_000;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof Error && error.message.includes('overloaded')) || Date.now() > until)
        throw error;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
}

afterEach(async () => {
  await system.shutdown();
});

describe('death watch', () => {
  it('tells the watcher once when the watched actor is stopped', async () => {
    newSystem();
    const worker = system.spawn(workerKind('worker', {}), 'w1');
    const watcher = system.spawn(watcherKind, 'a');
    system.send(watcher, { type: 'watch', ref: worker });
    expect(await log(watcher)).toEqual([]);
    await system.stop(worker);
    // Stopping again (or the identity's ref going stale) tells nobody a second time.
    await system.stop(worker);
    expect(await log(watcher)).toEqual([`worker/w1:${TerminationCause.stopped}`]);
  });

  it('says failed for a STOP directive, an escalation, and restarts beyond the intensity', async () => {
    newSystem();
    const stopping = system.spawn(workerKind('stopping', { decide: () => Directive.STOP }), 's');
    const escalating = system.spawn(workerKind('escalating', { decide: () => Directive.ESCALATE }), 'e');
    const restarting = system.spawn(
      workerKind('restarting', { intensity: { maxRestarts: 1, withinMs: 60_000 }, backoff: failFast }),
      'r',
    );
    const watcher = system.spawn(watcherKind, 'b');
    for (const ref of [stopping, escalating, restarting]) system.send(watcher, { type: 'watch', ref });
    await log(watcher);
    system.send(stopping, { type: 'fail' });
    system.send(escalating, { type: 'fail' });
    system.send(restarting, { type: 'fail' });
    system.send(restarting, { type: 'fail' });
    await eventually(() => ![stopping, escalating, restarting].some((ref) => system.isAlive(ref)));
    expect([...(await log(watcher))].sort()).toEqual([
      'escalating/e:failed',
      'restarting/r:failed',
      'stopping/s:failed',
    ]);
  });

  it('tells a watcher of a child stopped with its parent, and a restart (which keeps the actor) tells nobody', async () => {
    newSystem();
    type ParentMsg = { readonly type: 'spawn'; readonly replyTo: ReplyTo<ActorRef<WorkerMsg>> };
    const child = workerKind('child', { backoff: failFast });
    const parent = system.spawn(
      defineActor<undefined, ParentMsg>({
        kind: 'parent',
        initialState: () => undefined,
        receive: (state, msg, ctx) => {
          ctx.reply(msg.replyTo, ctx.spawn(child, 'c'));
          return state;
        },
      }),
      'p',
    );
    const childRef = await system.request(
      parent,
      (replyTo: ReplyTo<ActorRef<WorkerMsg>>): ParentMsg => ({ type: 'spawn', replyTo }),
      { timeoutMs: 2_000 },
    );
    const watcher = system.spawn(watcherKind, 'c');
    system.send(watcher, { type: 'watch', ref: childRef });
    system.send(childRef, { type: 'fail' });
    await eventually(() => system.isAlive(childRef));
    expect(await log(watcher)).toEqual([]);
    await system.stop(parent);
    expect(await log(watcher)).toEqual(['child/c:stopped']);
  });

  it('answers at once for an actor already stopped or never spawned', async () => {
    newSystem();
    const worker = system.spawn(workerKind('worker', {}), 'gone');
    await system.stop(worker);
    const never = system.ref(workerKind('worker', {}), 'never');
    const watcher = system.spawn(watcherKind, 'd');
    system.send(watcher, { type: 'watch', ref: worker });
    system.send(watcher, { type: 'watch', ref: never });
    // Queued while handling each watch, so behind the first log request.
    expect(await log(watcher)).toEqual([]);
    expect(await log(watcher)).toEqual(['worker/gone:not-running', 'worker/never:not-running']);
  });

  it('unwatch: no notice after it, and a stopped watcher is not told (no dead letter)', async () => {
    newSystem();
    const worker = system.spawn(workerKind('worker', {}), 'u');
    const watcher = system.spawn(watcherKind, 'e');
    const stoppedWatcher = system.spawn(watcherKind, 'f');
    system.send(watcher, { type: 'watch', ref: worker });
    system.send(stoppedWatcher, { type: 'watch', ref: worker });
    system.send(watcher, { type: 'unwatch', ref: worker });
    await log(watcher);
    await log(stoppedWatcher);
    await system.stop(stoppedWatcher);
    await system.stop(worker);
    expect(await log(watcher)).toEqual([]);
    expect(await metricValue(metrics, 'ninja_actor_dead_letters_total', { kind: 'watcher' })).toBe(0);
  });

  it('maps the notice into the watcher’s own message type, and delivers it past a full mailbox', async () => {
    newSystem();
    const worker = system.spawn(workerKind('worker', {}), 'm');
    const watcher = system.spawn(mappingWatcherKind, 'g');
    system.send(watcher, { type: 'watch', ref: worker });
    await system.request(
      watcher,
      (replyTo: ReplyTo<readonly string[]>): MappedMsg => ({ type: 'log', replyTo }),
      {
        timeoutMs: 2_000,
      },
    );
    await system.stop(worker);
    expect(
      await system.request(
        watcher,
        (replyTo: ReplyTo<readonly string[]>): MappedMsg => ({ type: 'log', replyTo }),
        { timeoutMs: 2_000 },
      ),
    ).toEqual(['worker/m']);

    const small = defineActor<string[], WatcherMsg>({
      ...watcherKind,
      kind: 'small-watcher',
      mailbox: { capacity: 1 },
    });
    const busy = system.spawn(small, 'h');
    const other = system.spawn(workerKind('worker', {}), 'n');
    system.send(busy, { type: 'watch', ref: other });
    await eventually(() => system.isAlive(other));
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    // Wait until the watch was handled, then occupy the only slot with a message in progress.
    await untilAdmitted(() => Promise.resolve().then(() => system.send(busy, { type: 'hold', until: held })));
    expect(() => system.send(busy, { type: 'hold', until: held })).toThrow(/overloaded/);
    await system.stop(other);
    release();
    await eventually(() => system.isAlive(busy));
    const seen = await untilAdmitted(() =>
      system.request(busy, (replyTo: ReplyTo<readonly string[]>): WatcherMsg => ({ type: 'log', replyTo }), {
        timeoutMs: 2_000,
      }),
    );
    expect(seen).toEqual(['worker/n:stopped']);
  });
});
