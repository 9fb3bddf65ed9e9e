import { randomUUID } from 'node:crypto';
import { InvalidArgumentError } from '../../domain/errors.ts';
import type { Logger, MetricsRegistry } from '../../observability/index.ts';
import { defineActor } from '../kernel/index.ts';
import type { ActorContext, ActorDefinition, ReplyTo } from '../kernel/index.ts';
import { fromPortfolioFillWire } from '../portfolio/index.ts';
import type { PortfolioFillWire } from '../portfolio/index.ts';
import { DEFAULT_FILL_FEED_LOG, FillFeedLog } from './fill-feed-log.ts';
import type { FeedBatch, FillFeedLogOptions } from './fill-feed-log.ts';
import { MAX_FEED_WAIT_MS, ORDER_FEED_KIND_NAME, orderFeedIdentity } from './order-feed-messages.ts';
import type { OrderFeedCommand } from './order-feed-messages.ts';
import { orderFeedMetrics } from './order-feed-metrics.ts';

export interface OrderFeedDeps {
  /** Whether `nodeId` is a member of the cluster now (a follower on a node that left is forgotten). */
  readonly isMember: (nodeId: string) => boolean;
  /** Sends to any identity in the cluster (ClusterNode.send): the hand-over to the next activation. */
  readonly send: (identity: string, message: OrderFeedCommand) => void;
  readonly log?: FillFeedLogOptions;
  readonly metrics?: MetricsRegistry;
}

interface Waiter {
  readonly replyTo: ReplyTo<FeedBatch>;
  readonly feedId: string | undefined;
  readonly after: number | undefined;
  readonly timer: NodeJS.Timeout;
}

interface FeedState {
  readonly accountId: string;
  readonly log: FillFeedLog;
  readonly waiters: Map<string, Waiter>;
  /** Answers a request from outside `receive` (timers, the passivate hook); bound on the first message. */
  reply: (to: ReplyTo<FeedBatch>, batch: FeedBatch) => void;
  readonly logger: Logger;
}

export interface OrderFeedKind {
  readonly definition: ActorDefinition<FeedState, OrderFeedCommand>;
  /** Stops `identity`'s timers (the node calls it when the activation ends, however it ended). */
  release(identity: string): void;
}

/**
 * `order-feed/<accountId>`: relays the account's journaled fills to the gateway nodes streaming
 * them. The node hosting the order manager sends each fill here; each such gateway node keeps one
 * fetch waiting here (a long poll, answered the moment a fill arrives) and follows the feed with a
 * cursor, so it gets each fill once and in order while the feed lives. Nothing is journaled: when
 * the feed moves it hands the fills some follower still lacks to its next activation, whose new
 * `feedId` makes every follower start again from what it retains (gateway nodes dedupe by trade id).
 */
export function orderFeedKind(deps: OrderFeedDeps): OrderFeedKind {
  const live = new Map<string, FeedState>();
  const logOptions = deps.log ?? DEFAULT_FILL_FEED_LOG;
  const isLive = (nodeId: string) => deps.isMember(nodeId);
  const metrics = deps.metrics === undefined ? undefined : orderFeedMetrics(deps.metrics);

  const clearWaiters = (state: FeedState, answer: boolean): void => {
    for (const [nodeId, waiter] of state.waiters) {
      clearTimeout(waiter.timer);
      if (answer) answerWaiter(state, nodeId, waiter);
    }
    state.waiters.clear();
  };

  const answerWaiter = (state: FeedState, nodeId: string, waiter: Waiter): void => {
    const { batch } = state.log.read(nodeId, waiter.feedId, waiter.after, Date.now());
    state.reply(waiter.replyTo, batch);
  };

  const append = (state: FeedState, fills: readonly unknown[], source: string): void => {
    const now = Date.now();
    let added = 0;
    let repeats = 0;
    for (const fill of fills) {
      try {
        fromPortfolioFillWire(fill); // only well-formed fills go out to the gateways
      } catch (error) {
        state.logger.warn({ err: error, source }, 'a malformed fill was not relayed');
        metrics?.fills.inc({ outcome: 'malformed' });
        continue;
      }
      if (state.log.append(fill as PortfolioFillWire, now, isLive)) added += 1;
      else repeats += 1;
    }
    if (repeats > 0) metrics?.fills.inc({ outcome: 'repeat' }, repeats);
    if (added > 0) metrics?.fills.inc({ outcome: 'relayed' }, added);
    if (added === 0) return;
    for (const [nodeId, waiter] of state.waiters) {
      state.waiters.delete(nodeId);
      clearTimeout(waiter.timer);
      answerWaiter(state, nodeId, waiter);
    }
  };

  const fetch = (
    state: FeedState,
    message: Extract<OrderFeedCommand, { type: 'feed-fetch' }>,
    ctx: ActorContext<OrderFeedCommand>,
  ): void => {
    const { nodeId, waitMs, after } = message;
    const bad = badFetch(message);
    if (bad !== undefined) {
      ctx.fail(message.replyTo, bad);
      return;
    }
    const previous = state.waiters.get(nodeId);
    if (previous !== undefined) {
      // A newer fetch from the same node: its earlier follower has gone.
      state.waiters.delete(nodeId);
      clearTimeout(previous.timer);
      answerWaiter(state, nodeId, previous);
    }
    const now = Date.now();
    const { batch, lost } = state.log.read(nodeId, message.feedId, after, now);
    if (lost > 0) {
      metrics?.lost.inc(lost);
      state.logger.warn(
        { nodeId, lost, retained: state.log.size },
        'a gateway node fell behind the order feed: fills it never fetched are not relayed to it',
      );
    }
    state.log.trim(now, isLive);
    if (batch.fills.length > 0 || batch.reset || waitMs === 0 || message.feedId === undefined) {
      state.reply(message.replyTo, batch);
      return;
    }
    const waiter: Waiter = {
      replyTo: message.replyTo,
      feedId: message.feedId,
      after,
      timer: setTimeout(() => {
        if (state.waiters.get(nodeId) !== waiter) return;
        state.waiters.delete(nodeId);
        answerWaiter(state, nodeId, waiter);
      }, waitMs),
    };
    waiter.timer.unref();
    state.waiters.set(nodeId, waiter);
  };

  const definition = defineActor<FeedState, OrderFeedCommand>({
    kind: ORDER_FEED_KIND_NAME,
    initialState: (key, ctx) => {
      const stale = live.get(ctx.identity);
      if (stale !== undefined) clearWaiters(stale, false); // a supervised restart
      const state: FeedState = {
        accountId: key,
        log: new FillFeedLog(randomUUID(), logOptions),
        waiters: new Map(),
        reply: () => undefined,
        logger: ctx.logger,
      };
      live.set(ctx.identity, state);
      return state;
    },
    receive: (state, message, ctx) => {
      state.reply = (to, batch) => ctx.reply(to, batch);
      switch (message.type) {
        case 'feed-fill':
          append(state, [message.fill], 'order manager');
          return state;
        case 'feed-hand-over':
          if (!Array.isArray(message.fills)) {
            state.logger.warn('a hand-over without a fill list was ignored');
            return state;
          }
          append(state, message.fills, 'hand-over');
          return state;
        case 'feed-fetch':
          fetch(state, message, ctx);
          return state;
        default:
          state.logger.warn({ message }, 'unknown order feed message ignored');
          return state;
      }
    },
    passivate: (state, ctx) => {
      // Followers re-fetch at once (from the next activation); what some of them still lack goes there.
      clearWaiters(state, true);
      const fills = state.log.unfetched(Date.now(), isLive);
      live.delete(ctx.identity);
      if (fills.length === 0) return;
      try {
        deps.send(orderFeedIdentity(state.accountId), { type: 'feed-hand-over', fills });
        metrics?.fills.inc({ outcome: 'handed_over' }, fills.length);
        ctx.logger.info({ fills: fills.length }, 'order feed handed its unfetched fills over');
      } catch (error) {
        ctx.logger.warn(
          { err: error, fills: fills.length },
          'order feed could not hand its unfetched fills over; followers get the fills published from now on',
        );
      }
    },
  });

  return {
    definition,
    release: (identity) => {
      const state = live.get(identity);
      if (state === undefined) return;
      live.delete(identity);
      clearWaiters(state, false);
    },
  };
}

/** What is wrong with a fetch (it came over the wire as JSON), or undefined. */
function badFetch(
  message: Extract<OrderFeedCommand, { type: 'feed-fetch' }>,
): InvalidArgumentError | undefined {
  const { nodeId, waitMs, after, feedId } = message;
  if (typeof nodeId !== 'string' || nodeId === '') {
    return new InvalidArgumentError('nodeId', 'must be a non-empty string');
  }
  if (!Number.isInteger(waitMs) || waitMs < 0 || waitMs > MAX_FEED_WAIT_MS) {
    return new InvalidArgumentError('waitMs', `must be an integer from 0 to ${MAX_FEED_WAIT_MS}`);
  }
  if (after !== undefined && (!Number.isSafeInteger(after) || after < 0)) {
    return new InvalidArgumentError('after', 'must be a non-negative integer');
  }
  if (feedId !== undefined && typeof feedId !== 'string') {
    return new InvalidArgumentError('feedId', 'must be a string');
  }
  return undefined;
}
