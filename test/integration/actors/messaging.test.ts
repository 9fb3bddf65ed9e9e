import { afterEach, describe, expect, it } from 'vitest';
import { createActorSystem, defineActor, DeadLetterReason } from '../../../actors/index.ts';
import type { ActorSystem, DeadLetter, ReplyTo } from '../../../actors/index.ts';
import {
  DeadlineExceededError,
  NotFoundError,
  ResourceExhaustedError,
  UnavailableError,
} from '../../../domain/errors.ts';
import { MetricsRegistry } from '../../../observability/index.ts';
import type { Logger } from '../../../observability/index.ts';
import { testLogger } from '../../support/index.ts';
import { capturingLogger, eventually, metricValue, sleep, systemName } from './actor-test-kit.ts';

type Msg =
  | { readonly type: 'note'; readonly text: string }
  | { readonly type: 'hold'; readonly ms: number }
  | { readonly type: 'ignore'; readonly replyTo: ReplyTo<string> }
  | { readonly type: 'late'; readonly replyTo: ReplyTo<string>; readonly afterMs: number }
  | { readonly type: 'notes'; readonly replyTo: ReplyTo<readonly string[]> };

const notes = defineActor<readonly string[], Msg>({
  kind: 'notes',
  initialState: () => [],
  receive: async (state, msg, ctx) => {
    switch (msg.type) {
      case 'note':
        ctx.logger.info({ text: msg.text }, 'noted');
        return [...state, msg.text];
      case 'hold':
        await sleep(msg.ms);
        return state;
      case 'ignore':
        return state;
      case 'late':
        setTimeout(() => ctx.reply(msg.replyTo, 'too late'), msg.afterMs);
        return state;
      case 'notes':
        ctx.reply(msg.replyTo, state);
        return state;
    }
  },
  mailbox: { capacity: 3 },
});

let system: ActorSystem;
let metrics: MetricsRegistry;
const letters: DeadLetter[] = [];

function newSystem(logger: Logger = testLogger('messaging-test')): ActorSystem {
  metrics = new MetricsRegistry();
  letters.length = 0;
  system = createActorSystem({ name: systemName('messaging'), logger, metrics });
  system.onDeadLetter((letter) => letters.push(letter));
  return system;
}

afterEach(async () => {
  await system.shutdown();
});

describe('requests', () => {
  it('fail with DeadlineExceededError when no reply comes in time', async () => {
    newSystem();
    const ref = system.spawn(notes, 'a');
    const started = Date.now();
    const error: unknown = await system
      .request(ref, (replyTo: ReplyTo<string>): Msg => ({ type: 'ignore', replyTo }), { timeoutMs: 50 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(
      await metricValue(metrics, 'ninja_actor_request_duration_seconds', { kind: 'notes' }),
    ).toBeGreaterThan(0);
  });

  it('a reply after the deadline is a dead letter', async () => {
    newSystem();
    const ref = system.spawn(notes, 'a');
    await expect(
      system.request(ref, (replyTo: ReplyTo<string>): Msg => ({ type: 'late', replyTo, afterMs: 40 }), {
        timeoutMs: 10,
      }),
    ).rejects.toBeInstanceOf(DeadlineExceededError);
    await eventually(() => letters.length === 1);
    expect(letters[0]).toMatchObject({
      reason: DeadLetterReason.LATE_REPLY,
      identity: 'notes/a',
      message: 'too late',
    });
  });
});

describe('dead letters', () => {
  it('a send to an unknown identity is counted and published; a request fails at once with NotFoundError', async () => {
    newSystem();
    const ref = system.ref(notes, 'nobody');
    system.send(ref, { type: 'note', text: 'lost' }, { correlationId: 'corr-lost' });
    const started = Date.now();
    await expect(
      system.request(ref, (replyTo: ReplyTo<readonly string[]>): Msg => ({ type: 'notes', replyTo }), {
        timeoutMs: 10_000,
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(Date.now() - started).toBeLessThan(100);
    expect(letters.map((l) => [l.reason, l.correlationId, l.request])).toEqual([
      [DeadLetterReason.UNKNOWN, 'corr-lost', false],
      [DeadLetterReason.UNKNOWN, letters[1]?.correlationId, true],
    ]);
    expect(await metricValue(metrics, 'ninja_actor_dead_letters_total', { kind: 'notes' })).toBe(2);
  });

  it('after stop: queued messages become dead letters, queued requests and new ones fail at once with UnavailableError', async () => {
    newSystem();
    const ref = system.spawn(notes, 'a');
    system.send(ref, { type: 'hold', ms: 50 });
    system.send(ref, { type: 'note', text: 'queued' });
    const queuedRequest = system.request(
      ref,
      (replyTo: ReplyTo<readonly string[]>): Msg => ({ type: 'notes', replyTo }),
      { timeoutMs: 10_000 },
    );
    await sleep(5);
    const started = Date.now();
    await system.stop(ref);
    await expect(queuedRequest).rejects.toBeInstanceOf(UnavailableError);
    system.send(ref, { type: 'note', text: 'after stop' });
    await expect(
      system.request(ref, (replyTo: ReplyTo<readonly string[]>): Msg => ({ type: 'notes', replyTo }), {
        timeoutMs: 10_000,
      }),
    ).rejects.toBeInstanceOf(UnavailableError);
    expect(Date.now() - started).toBeLessThan(100);
    expect(letters.map((l) => [l.reason, l.request])).toEqual([
      [DeadLetterReason.STOPPED, false],
      [DeadLetterReason.STOPPED, true],
      [DeadLetterReason.STOPPED, false],
      [DeadLetterReason.STOPPED, true],
    ]);
    expect(await metricValue(metrics, 'ninja_actor_dead_letters_total', { kind: 'notes' })).toBe(4);
  });

  it('a ref reaches a re-spawned identity', async () => {
    newSystem();
    const ref = system.spawn(notes, 'a');
    await system.stop(ref);
    system.spawn(notes, 'a');
    system.send(ref, { type: 'note', text: 'again' });
    expect(
      await system.request(ref, (replyTo: ReplyTo<readonly string[]>): Msg => ({ type: 'notes', replyTo }), {
        timeoutMs: 2_000,
      }),
    ).toEqual(['again']);
  });
});

describe('bounded mailboxes', () => {
  it('past its capacity, send throws and request rejects with ResourceExhaustedError; depth is a gauge', async () => {
    newSystem();
    const ref = system.spawn(notes, 'a');
    system.send(ref, { type: 'hold', ms: 30 });
    system.send(ref, { type: 'note', text: '1' });
    system.send(ref, { type: 'note', text: '2' });
    expect(await metricValue(metrics, 'ninja_actor_mailbox_depth', { kind: 'notes' })).toBe(3);
    expect(() => system.send(ref, { type: 'note', text: '3' })).toThrow(ResourceExhaustedError);
    await expect(
      system.request(ref, (replyTo: ReplyTo<readonly string[]>): Msg => ({ type: 'notes', replyTo }), {
        timeoutMs: 1_000,
      }),
    ).rejects.toMatchObject({ code: 'RESOURCE_EXHAUSTED' });
    expect(await metricValue(metrics, 'ninja_actor_overload_rejections_total', { kind: 'notes' })).toBe(2);
    // Once drained, the mailbox accepts again.
    await sleep(60);
    expect(
      await system.request(ref, (replyTo: ReplyTo<readonly string[]>): Msg => ({ type: 'notes', replyTo }), {
        timeoutMs: 1_000,
      }),
    ).toEqual(['1', '2']);
    // The reply is sent from inside receive; the slot is released when receive returns.
    await sleep(5);
    expect(await metricValue(metrics, 'ninja_actor_mailbox_depth', { kind: 'notes' })).toBe(0);
    expect(await metricValue(metrics, 'ninja_actors', { kind: 'notes' })).toBe(1);
    expect(await metricValue(metrics, 'ninja_actor_messages_processed_total', { kind: 'notes' })).toBe(4);
  });
});

describe('correlation ids', () => {
  it('ctx.logger lines carry the actor identity and the message correlation id, and ctx.send passes it on', async () => {
    const { logger, lines } = capturingLogger();
    newSystem(logger);
    type RelayMsg = { readonly type: 'relay'; readonly text: string };
    const target = system.spawn(notes, 'target');
    const relay = defineActor<null, RelayMsg>({
      kind: 'relay',
      initialState: () => null,
      receive: (state, msg, ctx) => {
        ctx.logger.info('relaying');
        ctx.send(target, { type: 'note', text: msg.text });
        return state;
      },
    });
    const relayRef = system.spawn(relay, 'r');
    system.send(relayRef, { type: 'relay', text: 'hello' }, { correlationId: 'corr-123' });
    await eventually(() => lines.some((line) => line.msg === 'noted'));
    const relaying = lines.find((line) => line.msg === 'relaying');
    const noted = lines.find((line) => line.msg === 'noted');
    expect(relaying).toMatchObject({ actor: 'relay/r', kind: 'relay', correlationId: 'corr-123' });
    expect(noted).toMatchObject({
      actor: 'notes/target',
      kind: 'notes',
      correlationId: 'corr-123',
      text: 'hello',
    });
  });

  it('shutdown fails pending requests with UnavailableError', async () => {
    newSystem();
    const ref = system.spawn(notes, 'a');
    const pending = system.request(ref, (replyTo: ReplyTo<string>): Msg => ({ type: 'ignore', replyTo }), {
      timeoutMs: 10_000,
    });
    await sleep(5);
    await system.shutdown();
    await expect(pending).rejects.toBeInstanceOf(UnavailableError);
  });
});
