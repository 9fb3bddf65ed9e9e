import { MAX_FEED_WAIT_MS, orderFeedIdentity } from '../../actors/order-feed/index.ts';
import type { FeedBatch, OrderFeedCommand } from '../../actors/order-feed/index.ts';
import { fromPortfolioFillWire } from '../../actors/portfolio/index.ts';
import type { ClusterNode } from '../../cluster/index.ts';
import type { PortfolioFill } from '../../domain/index.ts';
import type { Logger, MetricsRegistry } from '../../observability/index.ts';

/** How long one fetch waits at the feed for a fill before it is answered empty (and sent again). */
export const FEED_WAIT_MS = 10_000;
/** Pause after a failed fetch, doubling per failure up to FEED_RETRY_MAX_MS. */
const FEED_RETRY_MS = 100;
const FEED_RETRY_MAX_MS = 5_000;

/** One account followed by this node: `ready` once it has its first cursor. */
export interface FeedFollowing {
  readonly ready: Promise<void>;
  stop(): void;
}

/** Starts following `accountId`'s feed, handing each fill it relays to `publish`. */
export type FollowFeed = (accountId: string, publish: (fill: PortfolioFill) => void) => FeedFollowing;

export interface OrderFeedFollowerOptions {
  readonly cluster: ClusterNode;
  readonly logger: Logger;
  /** Default FEED_WAIT_MS. */
  readonly waitMs?: number;
  readonly metrics?: MetricsRegistry;
}

/**
 * How a gateway node follows `order-feed/<accountId>`, wherever the cluster placed it: one fetch
 * at a time waits there (answered the moment a fill arrives), with the cursor of the last batch;
 * a failed fetch (the feed moving, its node lost: UNAVAILABLE; DEADLINE_EXCEEDED) is sent again
 * after a pause. A `reset` batch (the feed moved or restarted) may repeat fills: OrderFills dedupes.
 */
export function orderFeedFollower(options: OrderFeedFollowerOptions): FollowFeed {
  const waitMs = Math.min(options.waitMs ?? FEED_WAIT_MS, MAX_FEED_WAIT_MS);
  const { cluster } = options;
  const fetches = options.metrics?.counter({
    name: 'ninja_gateway_order_feed_fetches_total',
    help: 'Fetches of this gateway node at order feeds, by outcome (ok, reset: the feed moved or restarted, failed)',
    labelNames: ['outcome'],
  });
  return (accountId, publish) => {
    const logger = options.logger.child({ component: 'order-feed-follower', accountId });
    let stopped = false;
    let wakeUp: (() => void) | undefined;
    let markReady: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => {
      markReady = resolve;
    });

    const pause = (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });

    const deliver = (batch: FeedBatch): void => {
      for (const wire of batch.fills) {
        let fill: PortfolioFill;
        try {
          fill = fromPortfolioFillWire(wire);
        } catch (error) {
          logger.warn({ err: error }, 'a malformed fill from the order feed was not streamed');
          continue;
        }
        publish(fill);
      }
    };

    const run = async (): Promise<void> => {
      let feedId: string | undefined;
      let after = 0;
      let failures = 0;
      while (!stopped) {
        try {
          const cursor = feedId === undefined ? {} : { feedId, after };
          const batch = await cluster.request<FeedBatch, OrderFeedCommand>(
            orderFeedIdentity(accountId),
            (replyTo) => ({ type: 'feed-fetch', nodeId: cluster.nodeId, ...cursor, waitMs, replyTo }),
            { timeoutMs: waitMs + 5_000 },
          );
          if (stopped) return;
          fetches?.inc({ outcome: batch.reset ? 'reset' : 'ok' });
          if (failures > 0) logger.info({ failures }, 'following the order feed again');
          failures = 0;
          if (batch.reset && feedId !== undefined) {
            logger.info(
              { feedId: batch.feedId, fills: batch.fills.length },
              'the order feed moved or restarted: what it retains is streamed again, deduplicated by trade id',
            );
          }
          feedId = batch.feedId;
          after = batch.next;
          deliver(batch);
          markReady();
        } catch (error) {
          if (stopped) return;
          fetches?.inc({ outcome: 'failed' });
          failures += 1;
          const log = { err: error, failures };
          if (failures === 1) logger.warn(log, 'order feed fetch failed; retrying');
          else logger.debug(log, 'order feed fetch failed again; retrying');
          await pause(Math.min(FEED_RETRY_MAX_MS, FEED_RETRY_MS * 2 ** Math.min(failures - 1, 6)));
        }
      }
    };

    run().catch((error: unknown) => {
      logger.error({ err: error }, 'order feed follower stopped unexpectedly');
    });
    return {
      ready,
      stop: () => {
        stopped = true;
        wakeUp?.();
      },
    };
  };
}
