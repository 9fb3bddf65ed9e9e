import { afterEach, describe, expect, it } from 'vitest';
import { createActorSystem, defineActor } from '../../../actors/index.ts';
import type { ActorSystem, ReplyTo } from '../../../actors/index.ts';
import { MetricsRegistry } from '../../../observability/index.ts';
import { testLogger } from '../../support/index.ts';
import { systemName } from './actor-test-kit.ts';

type Msg =
  { readonly type: 'add'; readonly by: number } | { readonly type: 'get'; readonly replyTo: ReplyTo<number> };

let system: ActorSystem;

function newSystem(): ActorSystem {
  system = createActorSystem({
    name: systemName('passivation'),
    logger: testLogger('passivation'),
    metrics: new MetricsRegistry(),
  });
  return system;
}

afterEach(async () => {
  await system.shutdown();
});

function counter(kind: string, passivate: (state: number) => void | Promise<void>) {
  return defineActor<number, Msg>({
    kind,
    initialState: () => 0,
    receive: (state, msg, ctx) => {
      if (msg.type === 'add') return state + msg.by;
      ctx.reply(msg.replyTo, state);
      return state;
    },
    passivate,
  });
}

describe('ActorSystem.passivate', () => {
  it('runs the hook with the state after the messages queued before it, then stops the actor', async () => {
    newSystem();
    const seen: number[] = [];
    const ref = system.spawn(
      counter('hooked', (state) => {
        seen.push(state);
      }),
      'a',
    );
    for (let i = 1; i <= 5; i += 1) system.send(ref, { type: 'add', by: i });
    await system.passivate(ref);
    expect(seen).toEqual([15]);
    expect(system.isAlive(ref)).toBe(false);
  });

  it('stops the actor even when the hook throws or outlives its time', async () => {
    newSystem();
    const failing = system.spawn(
      counter('failing-hook', () => {
        throw new Error('snapshot store down');
      }),
      'b',
    );
    await system.passivate(failing);
    expect(system.isAlive(failing)).toBe(false);

    const hanging = system.spawn(
      counter('hanging-hook', () => new Promise<void>(() => undefined)),
      'c',
    );
    await system.passivate(hanging, { hookTimeoutMs: 50 });
    expect(system.isAlive(hanging)).toBe(false);
  });

  it('stop() does not run the hook, and passivating a stopped actor does nothing', async () => {
    newSystem();
    const seen: number[] = [];
    const ref = system.spawn(
      counter('stopped-hook', (state) => {
        seen.push(state);
      }),
      'd',
    );
    system.send(ref, { type: 'add', by: 1 });
    await system.stop(ref);
    await system.passivate(ref);
    expect(seen).toEqual([]);
  });
});
