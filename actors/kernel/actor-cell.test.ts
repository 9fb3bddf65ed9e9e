import { describe, expect, it } from 'vitest';
import { MetricsRegistry } from '../../observability/index.ts';
import { testLogger } from '../../test/support/index.ts';
import { createActorSystem } from './actor-system.ts';
import type { ActorSystem } from './actor-system.ts';
import { defineActor } from './actor-definition.ts';
import type { DeadLetter } from './dead-letter.ts';
import { Directive } from './supervision/directive.ts';

// The cell queues messages itself and has nact run them several per turn (bounded): what the
// kernel promised before stays true — one at a time, in order, crashes decided before the next
// message, and what a stopped actor never handled is a dead letter.

type Msg =
  | { readonly type: 'note'; readonly n: number }
  | { readonly type: 'later'; readonly n: number }
  | { readonly type: 'boom'; readonly n: number }
  | { readonly type: 'stop'; readonly n: number };

let systems = 0;
function system(): ActorSystem {
  systems += 1;
  return createActorSystem({
    name: `cell-test-${String(process.pid)}-${String(systems)}`,
    logger: testLogger('cell-test'),
    metrics: new MetricsRegistry(),
  });
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 1));
  expect(check()).toBe(true);
}

function recorder(
  seen: string[],
  directive: Directive = Directive.RESUME,
): ReturnType<typeof defineActor<number, Msg>> {
  return defineActor<number, Msg>({
    kind: 'recorder',
    initialState: () => 0,
    supervision: { decide: () => directive, backoff: { initialMs: 1, maxMs: 1 } },
    receive: (handled, msg, ctx) => {
      if (msg.type === 'boom') throw new Error(`boom ${String(msg.n)}`);
      if (msg.type === 'stop') {
        seen.push(`stop ${String(msg.n)}`);
        void ctx.stop(ctx.self);
        return handled + 1;
      }
      if (msg.type === 'later') {
        return new Promise<number>((resolve) =>
          setTimeout(() => {
            seen.push(`later ${String(msg.n)}`);
            resolve(handled + 1);
          }, 1),
        );
      }
      seen.push(`note ${String(msg.n)}`);
      return handled + 1;
    },
  });
}

describe('actor cell queue', () => {
  it('handles many messages in order across turns, waiting for asynchronous ones', async () => {
    const actors = system();
    const seen: string[] = [];
    const ref = actors.spawn(recorder(seen), 'a');
    const expected: string[] = [];
    for (let n = 0; n < 200; n += 1) {
      const type = n % 50 === 7 ? 'later' : 'note';
      actors.send(ref, { type, n });
      expected.push(`${type} ${String(n)}`);
    }
    await until(() => seen.length === 200);
    expect(seen).toEqual(expected);
    expect(actors.isIdle(ref)).toBe(true);
    await actors.shutdown();
  });

  it('handles what was queued together in one loop turn (nact ran one message per turn)', async () => {
    const actors = system();
    const seen: string[] = [];
    const ref = actors.spawn(recorder(seen), 'a');
    await until(() => actors.isIdle(ref));
    for (let n = 0; n < 10; n += 1) actors.send(ref, { type: 'note', n });
    await turn();
    expect(seen).toHaveLength(10);
    await actors.shutdown();
  });

  it('yields the loop: a busy actor does not hold another one past a bounded run', async () => {
    const actors = system();
    const seen: string[] = [];
    const a = actors.spawn(recorder(seen), 'a');
    await turn();
    await turn();
    for (let n = 0; n < 500; n += 1) actors.send(a, { type: 'note', n });
    let otherDone = -1;
    setImmediate(() => {
      otherDone = seen.length;
    });
    await until(() => seen.length === 500);
    expect(otherDone).toBeGreaterThan(0);
    expect(otherDone).toBeLessThan(500);
    await actors.shutdown();
  });

  it('decides a crash before the next message; queued messages follow in order after a resume', async () => {
    const actors = system();
    const seen: string[] = [];
    const ref = actors.spawn(recorder(seen, Directive.RESUME), 'a');
    for (let n = 0; n < 10; n += 1) actors.send(ref, { type: n === 4 ? 'boom' : 'note', n });
    await until(() => seen.length === 9);
    expect(seen).toEqual([0, 1, 2, 3, 5, 6, 7, 8, 9].map((n) => `note ${String(n)}`));
    actors.send(ref, { type: 'note', n: 10 });
    await until(() => seen.length === 10);
    await actors.shutdown();
  });

  it('makes dead letters of what a stopped actor never handled (STOP directive, and a stop from inside)', async () => {
    for (const trigger of ['boom', 'stop'] as const) {
      const actors = system();
      const dead: DeadLetter[] = [];
      actors.onDeadLetter((letter) => dead.push(letter));
      const seen: string[] = [];
      const ref = actors.spawn(recorder(seen, Directive.STOP), 'a');
      for (let n = 0; n < 6; n += 1) actors.send(ref, { type: n === 2 ? trigger : 'note', n });
      await until(() => dead.length === 3);
      expect(dead.map((letter) => (letter.message as Msg).n)).toEqual([3, 4, 5]);
      expect(seen.filter((s) => s.startsWith('note'))).toEqual(['note 0', 'note 1']);
      await actors.shutdown();
    }
  });
});
