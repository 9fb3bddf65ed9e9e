/**
 * Pins the nact 7.6.2 behaviours the kernel relies on (see actors/kernel/nact-executor.ts), so that
 * an upgrade which changes one of them fails here first.
 */
import { dispatch, query, spawn, start, stop } from 'nact';
import type { Ref } from 'nact';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, sleep } from './actor-test-kit.ts';

const systems: Ref<never>[] = [];
afterEach(() => {
  for (const system of systems.splice(0)) stop(system);
});

function system(name?: string): Ref<never> {
  // Runtime reads `name` from an object argument; the typings only admit a string (see nact-executor.ts).
  const ref = name === undefined ? start() : start({ name } as unknown as string);
  systems.push(ref);
  return ref;
}

interface NamedRef {
  readonly name: string;
}

describe('nact 7.6.2', () => {
  it('handles the messages dispatched to one actor in dispatch order, one at a time', async () => {
    const seen: number[] = [];
    let running = 0;
    let overlapped = false;
    const actor = spawn(system(), async (state: number, msg: number) => {
      running += 1;
      if (running > 1) overlapped = true;
      if (msg % 7 === 0) await sleep(1);
      seen.push(msg);
      running -= 1;
      return state + 1;
    });
    for (let i = 0; i < 200; i++) dispatch(actor, i);
    await eventually(() => seen.length === 200);
    expect(seen).toEqual([...Array(200).keys()]);
    expect(overlapped).toBe(false);
  });

  it('silently drops a dispatch to a stopped actor', async () => {
    let handled = 0;
    const actor = spawn(system(), (state: number) => {
      handled += 1;
      return state;
    });
    dispatch(actor, 1);
    await eventually(() => handled === 1);
    stop(actor);
    expect(() => dispatch(actor, 2)).not.toThrow();
    await sleep(20);
    expect(handled).toBe(1);
  });

  it('ignores a plain string name given to start(), and uses { name }', () => {
    const named = system(`pinned-${process.pid}`);
    expect((named as unknown as NamedRef).name).toBe(`pinned-${process.pid}`);
    const ref = start('ignored-name');
    systems.push(ref);
    expect((ref as unknown as NamedRef).name).not.toBe('ignored-name');
  });

  it('keeps the actor busy while onCrash is pending, queues later dispatches in order, and resume continues', async () => {
    const seen: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const actor = spawn(
      system(),
      (state: number, msg: string) => {
        if (msg === 'fail') throw new Error('boom');
        seen.push(msg);
        return state;
      },
      'crashy',
      {
        onCrash: async (_msg: unknown, _error: unknown, ctx: { resume: symbol }) => {
          await gate;
          return ctx.resume;
        },
      } as never,
    );
    dispatch(actor, 'a');
    dispatch(actor, 'fail');
    dispatch(actor, 'b');
    dispatch(actor, 'c');
    await sleep(20);
    expect(seen).toEqual(['a']);
    release();
    await eventually(() => seen.length === 3);
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it('hands afterStop a copy of the mailbox as it was when the actor stopped', async () => {
    let leftOver: unknown[] | undefined;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const actor = spawn(
      system(),
      async (state: number) => {
        await gate;
        return state;
      },
      'slow',
      {
        afterStop: (_state: unknown, ctx: { mailbox: { message: unknown }[] }) => {
          leftOver = ctx.mailbox.map((entry) => entry.message);
        },
      } as never,
    );
    dispatch(actor, 1);
    dispatch(actor, 2);
    dispatch(actor, 3);
    await sleep(5);
    stop(actor);
    release();
    await eventually(() => leftOver !== undefined);
    expect(leftOver).toEqual([2, 3]);
  });

  it('rejects a query to a stopped actor at once (we do the same for our own requests)', async () => {
    const actor = spawn(system(), (state: number) => state);
    stop(actor);
    await expect(query(actor, () => 1, 5_000)).rejects.toThrow(/stopped or never existed/);
  });
});
