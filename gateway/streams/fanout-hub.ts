import type { BookCommand, BookUpdate } from '../../actors/book/index.ts';
import { defineActor } from '../../actors/kernel/index.ts';
import type { ActorRef } from '../../actors/kernel/index.ts';
import type { ClusterNode } from '../../cluster/index.ts';
import { UnavailableError, UnimplementedError } from '../../domain/errors.ts';
import type { Logger, MetricsRegistry } from '../../observability/index.ts';
import type { InstrumentId } from '../../proto/gen/ninja/v1/instrument.ts';
import type { StreamOrderBookResponse, StreamTradesResponse } from '../../proto/gen/ninja/v1/market_data.ts';
import type { StreamSink } from '../api/method-definition.ts';
import { BookFeed } from './book-feed.ts';
import type { BookClient } from './book-feed.ts';
import { ClientStream, DEFAULT_SLOW_CLIENT_POLICY } from './client-stream.ts';
import type { SlowClientPolicy } from './client-stream.ts';
import { streamMetrics } from './stream-metrics.ts';
import type { StreamMetrics } from './stream-metrics.ts';

/** The node-local actor that receives one book's updates for the hub. */
const FEED_KIND = 'gateway-feed';
/** Book updates a feed may have queued (the book actor publishes in bursts after a snapshot). */
const FEED_MAILBOX = 100_000;

interface Subscription {
  readonly feed: BookFeed;
  readonly ref: ActorRef<BookUpdate>;
}

/** What a stream call gives the hub. */
export interface StreamCall<M> {
  readonly instrumentId: InstrumentId;
  readonly sink: StreamSink<M>;
  readonly signal: AbortSignal;
}

/**
 * Market data fan-out of one gateway node: ONE subscription per instrument at the book actor
 * `book/<venue>/<symbol>` (a node-local actor, subscribed by local ref and death-watched by the
 * book), shared by every client stream of that instrument, over gRPC and WebSocket alike. The
 * subscription ends when the last client leaves. Each client has its own bounded queue
 * (ClientStream: the slow-client policy).
 *
 * The book must be hosted on this node (a node with the gateway and venue roles, as `npm start`
 * runs); a book placed on another member answers UNAVAILABLE, naming it.
 */
export class FanoutHub {
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly metrics: StreamMetrics;
  private readonly logger: Logger;
  private nextFeed = 1;

  constructor(
    private readonly cluster: ClusterNode,
    metrics: MetricsRegistry,
    logger: Logger,
    readonly policy: SlowClientPolicy = DEFAULT_SLOW_CLIENT_POLICY,
  ) {
    this.metrics = streamMetrics(metrics);
    this.logger = logger.child({ component: 'gateway-streams' });
  }

  /** Client streams by book identity (tests and status). */
  clientsOf(identity: string): number {
    return this.subscriptions.get(identity)?.feed.clients ?? 0;
  }

  /** Book subscriptions this node holds now. */
  get bookSubscriptions(): number {
    return this.subscriptions.size;
  }

  /** Streams the book (snapshot at `depth`, then deltas) until the client leaves or is too slow. */
  async streamBook(call: StreamCall<StreamOrderBookResponse>, depth: number): Promise<void> {
    const { feed } = this.acquire(call.instrumentId);
    const stream = new ClientStream<StreamOrderBookResponse>(
      'book',
      call.sink,
      call.signal,
      this.policy,
      this.metrics,
      // Called only on a later push, when `client` exists.
      () => feed.snapshotFor(client),
    );
    const client: BookClient = { stream, depth, started: false };
    feed.addBookClient(client);
    await this.serve(feed, stream, 'book', () => feed.bookClients.delete(client));
  }

  /** Streams the instrument's public trades from now on. */
  async streamTrades(call: StreamCall<StreamTradesResponse>): Promise<void> {
    const { feed } = this.acquire(call.instrumentId);
    const stream = new ClientStream<StreamTradesResponse>(
      'trades',
      call.sink,
      call.signal,
      this.policy,
      this.metrics,
      () => undefined,
    );
    feed.tradeClients.add(stream);
    await this.serve(feed, stream, 'trades', () => feed.tradeClients.delete(stream));
  }

  private async serve<M>(
    feed: BookFeed,
    stream: ClientStream<M>,
    name: 'book' | 'trades',
    remove: () => void,
  ): Promise<void> {
    this.metrics.subscribers.inc({ book: feed.identity, stream: name });
    try {
      await stream.run();
    } finally {
      remove();
      this.metrics.subscribers.dec({ book: feed.identity, stream: name });
      if (feed.clients === 0) this.release(feed.identity);
    }
  }

  private acquire(instrumentId: InstrumentId): Subscription {
    const identity = `book/${instrumentId.venue}/${instrumentId.symbol}`;
    const existing = this.subscriptions.get(identity);
    if (existing !== undefined) return existing;
    const owner = this.cluster.ownerOf(identity);
    if (owner === undefined) {
      // As GetOrderBook answers when the cluster has no member that hosts books.
      throw new UnimplementedError(`no book actors on this cluster (no member can host ${identity})`);
    }
    if (owner.nodeId !== this.cluster.nodeId) {
      throw new UnavailableError(
        `${identity} lives on ${owner.nodeId}; this gateway node (${this.cluster.nodeId}) streams books it hosts (run the gateway on the venue node)`,
      );
    }
    const feed = new BookFeed(identity, instrumentId, this.logger);
    const definition = defineActor<null, BookUpdate>({
      kind: FEED_KIND,
      mailbox: { capacity: FEED_MAILBOX },
      initialState: () => null,
      receive: (state, message) => {
        feed.onUpdate(message.update);
        return state;
      },
    });
    const ref = this.cluster.system.spawn(definition, `${this.nextFeed++}`);
    const subscription = { feed, ref };
    try {
      this.cluster.send<BookCommand>(identity, { type: 'subscribe-book-local', ref });
    } catch (error) {
      this.cluster.system.stop(ref).catch((stopError: unknown) => {
        this.logger.warn({ err: stopError, book: identity }, 'feed actor did not stop cleanly');
      });
      throw error;
    }
    this.subscriptions.set(identity, subscription);
    this.metrics.bookSubscriptions.set(this.subscriptions.size);
    this.logger.info({ book: identity }, 'subscribed to the book for client streams');
    return subscription;
  }

  private release(identity: string): void {
    const subscription = this.subscriptions.get(identity);
    if (subscription === undefined) return;
    this.subscriptions.delete(identity);
    this.metrics.bookSubscriptions.set(this.subscriptions.size);
    try {
      this.cluster.send<BookCommand>(identity, { type: 'unsubscribe-book-local', ref: subscription.ref });
    } catch (error) {
      // The book's death watch removes the subscription when the feed actor stops below.
      this.logger.warn({ err: error, book: identity }, 'could not unsubscribe from the book');
    }
    this.cluster.system.stop(subscription.ref).catch((error: unknown) => {
      this.logger.warn({ err: error, book: identity }, 'feed actor did not stop cleanly');
    });
    this.logger.info({ book: identity }, 'last client left; book subscription ended');
  }
}
