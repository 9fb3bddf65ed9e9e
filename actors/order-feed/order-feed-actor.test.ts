import { afterEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { MetricsRegistry, createLogger } from '../../observability/index.ts';
import { createActorSystem } from '../kernel/index.ts';
import type { ActorRef, ActorSystem } from '../kernel/index.ts';
import { wireFill } from './test-fills.ts';
import type { FeedBatch } from './fill-feed-log.ts';
import { orderFeedKind } from './order-feed-actor.ts';
import type { OrderFeedCommand } from './order-feed-messages.ts';

const wire = wireFill;

let systems = 0;

describe('order feed actor', () => {
  let system: ActorSystem;
  const sent: { identity: string; message: OrderFeedCommand }[] = [];
  let members = new Set(['gw-a', 'gw-b']);
  let metrics = new MetricsRegistry();

  function start(): ActorRef<OrderFeedCommand> {
    systems += 1;
    metrics = new MetricsRegistry();
    system = createActorSystem({
      name: `order-feed-test-${systems}`,
      logger: createLogger({ level: 'silent' }),
      metrics: new MetricsRegistry(),
    });
    const kind = orderFeedKind({
      isMember: (nodeId) => members.has(nodeId),
      send: (identity, message) => sent.push({ identity, message }),
      metrics,
    });
    return system.spawn(kind.definition, 'acc-1');
  }

  afterEach(async () => {
    sent.length = 0;
    members = new Set(['gw-a', 'gw-b']);
    await system.shutdown();
  });

  const fetch = (
    ref: ActorRef<OrderFeedCommand>,
    nodeId: string,
    cursor: { feedId?: string; after?: number },
    waitMs = 5_000,
  ): Promise<FeedBatch> =>
    system.request<FeedBatch, OrderFeedCommand>(
      ref,
      (replyTo) => ({ type: 'feed-fetch', nodeId, ...cursor, waitMs, replyTo }),
      { timeoutMs: waitMs + 2_000 },
    );

  it('answers a waiting fetch the moment a fill arrives, and each follower gets it once', async () => {
    const feed = start();
    const a0 = await fetch(feed, 'gw-a', {});
    const b0 = await fetch(feed, 'gw-b', {});
    const aWaiting = fetch(feed, 'gw-a', { feedId: a0.feedId, after: a0.next });
    const bWaiting = fetch(feed, 'gw-b', { feedId: b0.feedId, after: b0.next });
    system.send(feed, { type: 'feed-fill', fill: wire('t1') });
    system.send(feed, { type: 'feed-fill', fill: wire('t1') }); // published again: dropped
    const [a1, b1] = await Promise.all([aWaiting, bWaiting]);
    expect(a1.fills.map((f) => f.tradeId)).toEqual(['t1']);
    expect(b1.fills.map((f) => f.tradeId)).toEqual(['t1']);
    system.send(feed, { type: 'feed-fill', fill: wire('t2') });
    const a2 = await fetch(feed, 'gw-a', { feedId: a1.feedId, after: a1.next });
    expect(a2.fills.map((f) => f.tradeId)).toEqual(['t2']);
    expect(a2.reset).toBe(false);
    const counted = await metrics.registry.getSingleMetric('ninja_order_feed_fills_total')?.get();
    const byOutcome = Object.fromEntries(
      (counted?.values ?? []).map((v) => [String(v.labels['outcome']), v.value] as const),
    );
    expect(byOutcome).toEqual({ relayed: 2, repeat: 1 });
  });

  it('answers a fetch empty after its wait, and a newer fetch of the same node answers the older', async () => {
    const feed = start();
    const first = await fetch(feed, 'gw-a', {});
    const empty = await fetch(feed, 'gw-a', { feedId: first.feedId, after: first.next }, 50);
    expect(empty).toEqual({ feedId: first.feedId, next: first.next, fills: [], reset: false });
    const older = fetch(feed, 'gw-a', { feedId: first.feedId, after: first.next });
    const newer = fetch(feed, 'gw-a', { feedId: first.feedId, after: first.next });
    expect((await older).fills).toEqual([]);
    system.send(feed, { type: 'feed-fill', fill: wire('t3') });
    expect((await newer).fills.map((f) => f.tradeId)).toEqual(['t3']);
  });

  it('refuses a malformed fetch with INVALID_ARGUMENT naming the field', async () => {
    const feed = start();
    const error = await fetch(feed, 'gw-a', {}, 10_000_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).field).toBe('waitMs');
  });

  it('hands what a live follower has not fetched to its next activation when it passivates', async () => {
    const feed = start();
    const a0 = await fetch(feed, 'gw-a', {});
    await fetch(feed, 'gw-b', {});
    members = new Set(['gw-a']); // gw-b left: nothing is kept for it
    system.send(feed, { type: 'feed-fill', fill: wire('t4') });
    system.send(feed, { type: 'feed-fill', fill: wire('t5') });
    const a1 = await fetch(feed, 'gw-a', { feedId: a0.feedId, after: a0.next });
    expect(a1.fills.map((f) => f.tradeId)).toEqual(['t4', 't5']);
    system.send(feed, { type: 'feed-fill', fill: wire('t6') });
    await system.passivate(feed);
    expect(sent).toEqual([
      {
        identity: 'order-feed/acc-1',
        message: { type: 'feed-hand-over', fills: [wire('t4'), wire('t5'), wire('t6')] },
      },
    ]);
  });
});
