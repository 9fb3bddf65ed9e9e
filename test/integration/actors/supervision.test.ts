import { afterEach, describe, expect, it } from 'vitest';
import { createActorSystem, defineActor, Directive, EscalatedFailureError } from '../../../actors/index.ts';
import type {
  ActorRef,
  ActorSystem,
  Escalation,
  ReplyTo,
  SupervisionOptions,
} from '../../../actors/index.ts';
import { MetricsRegistry } from '../../../observability/index.ts';
import { testLogger } from '../../support/index.ts';
import { eventually, metricValue, sleep, systemName } from './actor-test-kit.ts';

type CounterMsg =
  | { readonly type: 'add'; readonly by: number }
  | { readonly type: 'fail'; readonly error?: Error }
  | { readonly type: 'get'; readonly replyTo: ReplyTo<number> };

const fastBackoff = { initialMs: 1, maxMs: 2, jitter: 0 };

function counterKind(kind: string, supervision: SupervisionOptions, inits: number[] = []) {
  return defineActor<number, CounterMsg>({
    kind,
    initialState: () => {
      inits.push(Date.now());
      return 0;
    },
    receive: (state, msg, ctx) => {
      switch (msg.type) {
        case 'add':
          return state + msg.by;
        case 'fail':
          throw msg.error ?? new Error('induced failure');
        case 'get':
          ctx.reply(msg.replyTo, state);
          return state;
      }
    },
    supervision,
  });
}

let system: ActorSystem;
let metrics: MetricsRegistry;
const escalations: Escalation[] = [];

function newSystem(): ActorSystem {
  metrics = new MetricsRegistry();
  escalations.length = 0;
  system = createActorSystem({
    name: systemName('supervision'),
    logger: testLogger('supervision-test'),
    metrics,
    onEscalation: (escalation) => escalations.push(escalation),
  });
  return system;
}

afterEach(async () => {
  await system.shutdown();
});

const get = (ref: ActorRef<CounterMsg>) =>
  system.request(ref, (replyTo: ReplyTo<number>): CounterMsg => ({ type: 'get', replyTo }), {
    timeoutMs: 2_000,
  });

describe('supervision directives', () => {
  it('RESUME keeps the state and drops only the failed message', async () => {
    newSystem();
    const ref = system.spawn(counterKind('resumer', { decide: () => Directive.RESUME }), 'a');
    system.send(ref, { type: 'add', by: 2 });
    system.send(ref, { type: 'fail' });
    system.send(ref, { type: 'add', by: 3 });
    expect(await get(ref)).toBe(5);
    expect(
      await metricValue(metrics, 'ninja_actor_failures_total', { kind: 'resumer', directive: 'resume' }),
    ).toBe(1);
    expect(await metricValue(metrics, 'ninja_actor_restarts_total', { kind: 'resumer' })).toBe(0);
  });

  it('RESTART re-runs initialState after the backoff, keeping messages sent meanwhile in order', async () => {
    newSystem();
    const inits: number[] = [];
    const kind = counterKind(
      'restarter',
      { decide: () => Directive.RESTART, backoff: { initialMs: 80, maxMs: 80, jitter: 0 } },
      inits,
    );
    const ref = system.spawn(kind, 'a');
    system.send(ref, { type: 'add', by: 10 });
    expect(await get(ref)).toBe(10);
    const failedAt = Date.now();
    system.send(ref, { type: 'fail' });
    // Sent during the backoff: queued, then handled in order by the fresh incarnation.
    system.send(ref, { type: 'add', by: 1 });
    system.send(ref, { type: 'add', by: 2 });
    expect(await get(ref)).toBe(3);
    expect(inits).toHaveLength(2);
    expect((inits[1] ?? 0) - failedAt).toBeGreaterThanOrEqual(75);
    expect(await metricValue(metrics, 'ninja_actor_restarts_total', { kind: 'restarter' })).toBe(1);
  });

  it('RESTART backs off exponentially between consecutive restarts', async () => {
    newSystem();
    const inits: number[] = [];
    const kind = counterKind(
      'backoff',
      { backoff: { initialMs: 20, multiplier: 2, maxMs: 1_000, jitter: 0 }, intensity: { maxRestarts: 10 } },
      inits,
    );
    const ref = system.spawn(kind, 'a');
    await get(ref);
    for (let i = 0; i < 3; i++) system.send(ref, { type: 'fail' });
    await get(ref);
    const gaps = inits.slice(1).map((t, i) => t - (inits[i] ?? 0));
    // 20, 40, 80 ms (each measured from the previous initialisation, so at least the delay).
    expect(gaps[0]).toBeGreaterThanOrEqual(18);
    expect(gaps[1]).toBeGreaterThanOrEqual(38);
    expect(gaps[2]).toBeGreaterThanOrEqual(78);
  });

  it('STOP stops the actor: later sends are dead letters and requests fail at once', async () => {
    newSystem();
    const ref = system.spawn(counterKind('stopper', { decide: () => Directive.STOP }), 'a');
    system.send(ref, { type: 'fail' });
    await eventually(() => !system.isAlive(ref));
    system.send(ref, { type: 'add', by: 1 });
    await expect(get(ref)).rejects.toMatchObject({ name: 'UnavailableError', code: 'UNAVAILABLE' });
    expect(await metricValue(metrics, 'ninja_actor_dead_letters_total', { kind: 'stopper' })).toBe(2);
  });

  it('ESCALATE stops the child and fails the parent, whose own policy decides', async () => {
    newSystem();
    const parentFailures: unknown[] = [];
    const parentInits: number[] = [];
    const child = counterKind('child', { decide: () => Directive.ESCALATE });
    type ParentMsg =
      | { readonly type: 'spawn' }
      | { readonly type: 'child'; readonly replyTo: ReplyTo<ActorRef<CounterMsg>> };
    const parent = defineActor<{ child?: ActorRef<CounterMsg> }, ParentMsg>({
      kind: 'parent',
      initialState: () => {
        parentInits.push(Date.now());
        return {};
      },
      receive: (state, msg, ctx) => {
        if (msg.type === 'spawn') return { child: ctx.spawn(child, 'c1') };
        if (state.child !== undefined) ctx.reply(msg.replyTo, state.child);
        return state;
      },
      supervision: {
        decide: (error) => {
          parentFailures.push(error);
          return Directive.RESTART;
        },
        backoff: fastBackoff,
      },
    });
    const parentRef = system.spawn(parent, 'p');
    system.send(parentRef, { type: 'spawn' });
    const childRef = await system.request(
      parentRef,
      (replyTo: ReplyTo<ActorRef<CounterMsg>>): ParentMsg => ({ type: 'child', replyTo }),
      { timeoutMs: 2_000 },
    );
    system.send(childRef, { type: 'fail', error: new Error('child broke') });
    await eventually(() => parentInits.length === 2);
    expect(system.isAlive(childRef)).toBe(false);
    expect(parentFailures).toHaveLength(1);
    const failure = parentFailures[0];
    expect(failure).toBeInstanceOf(EscalatedFailureError);
    expect((failure as EscalatedFailureError).child).toBe('child/c1');
    expect(((failure as EscalatedFailureError).cause as Error).message).toBe('child broke');
    expect(await metricValue(metrics, 'ninja_actor_escalations_total', { kind: 'child' })).toBe(1);
    expect(escalations).toHaveLength(0);
  });

  it('a top-level actor escalates to the root supervisor', async () => {
    newSystem();
    const ref = system.spawn(counterKind('top', { decide: () => Directive.ESCALATE }), 'a');
    system.send(ref, { type: 'fail' });
    await eventually(() => escalations.length === 1);
    expect(escalations[0]).toMatchObject({ identity: 'top/a', kind: 'top' });
    expect(system.isAlive(ref)).toBe(false);
  });
});

describe('restart intensity', () => {
  it('escalates once N restarts happened within T', async () => {
    newSystem();
    const inits: number[] = [];
    const kind = counterKind(
      'flaky',
      { intensity: { maxRestarts: 3, withinMs: 10_000 }, backoff: fastBackoff },
      inits,
    );
    const ref = system.spawn(kind, 'a');
    for (let i = 0; i < 4; i++) system.send(ref, { type: 'fail' });
    await eventually(() => escalations.length === 1);
    expect(escalations[0]?.reason).toMatch(/restart intensity exceeded: 3 restarts within 10000 ms/);
    expect(inits).toHaveLength(4);
    expect(system.isAlive(ref)).toBe(false);
    expect(await metricValue(metrics, 'ninja_actor_restarts_total', { kind: 'flaky' })).toBe(3);
    expect(await metricValue(metrics, 'ninja_actor_escalations_total', { kind: 'flaky' })).toBe(1);
  });

  it('a failing initialState is retried with backoff until the intensity escalates it', async () => {
    newSystem();
    let attempts = 0;
    const broken = defineActor<number, CounterMsg>({
      kind: 'broken-init',
      initialState: () => {
        attempts += 1;
        throw new Error('cannot start');
      },
      receive: (state) => state,
      supervision: { intensity: { maxRestarts: 2, withinMs: 10_000 }, backoff: fastBackoff },
    });
    system.spawn(broken, 'a');
    await eventually(() => escalations.length === 1);
    expect(attempts).toBe(3);
    await sleep(10);
    expect(attempts).toBe(3);
  });
});
