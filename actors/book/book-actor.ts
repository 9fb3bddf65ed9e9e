import { InvalidArgumentError, isNinjaError } from '../../domain/errors.ts';
import { formatInstrumentId } from '../../domain/index.ts';
import type { InstrumentId } from '../../domain/index.ts';
import type { Logger, MetricsRegistry } from '../../observability/index.ts';
import type { BookDelta, BookLevel, BookSnapshot, MarketDataEvent } from '../../venues/venue-connector.ts';
import { defineActor } from '../kernel/index.ts';
import type { ActorContext, ActorDefinition, ActorRef } from '../kernel/index.ts';
import type { MarketDataMessage, VenueCommand } from '../venue/venue-messages.ts';
import { fromMarketDataWire, toBookWire } from '../venue/venue-wire.ts';
import type { LevelWire } from '../venue/venue-wire.ts';
import { BookStatus } from './book-messages.ts';
import type { BookCommand, BookUpdate, BookView, TopOfBookWire } from './book-messages.ts';
import { bookMetrics } from './book-metrics.ts';
import { L2Book } from './l2-book.ts';

export const BOOK_KIND = 'book';

export interface BookActorDeps {
  /** Sends to any identity in the cluster (ClusterNode.send): the venue actor and identity subscribers. */
  readonly send: (identity: string, message: unknown) => void;
  readonly metrics: MetricsRegistry;
  /**
   * How often the book re-asserts its subscription at `venue/<venue>` (idempotent there): after the
   * venue actor moved or restarted, the book is fed again within this time. Default 5 s.
   */
  readonly resubscribeEveryMs?: number;
  /** Levels per side a `get-book` returns when it names no depth. Default 100. */
  readonly defaultDepth?: number;
}

interface BookState {
  readonly identity: string;
  readonly venue: string;
  readonly instrumentId: InstrumentId;
  readonly book: L2Book;
  status: BookStatus;
  /** Ask the venue for a fresh snapshot at the next resubscribe (after input the book could not use). */
  needsFresh: boolean;
  readonly identitySubscribers: Set<string>;
  readonly localSubscribers: Map<string, ActorRef<BookUpdate>>;
  timer: NodeJS.Timeout | undefined;
  /** Sends to a local subscriber through this actor's context (bound on the first message). */
  sendLocal: (ref: ActorRef<BookUpdate>, message: BookUpdate) => void;
  lastTop: string;
  readonly logger: Logger;
}

export interface BookActor {
  readonly definition: ActorDefinition<BookState, BookCommand>;
  /** Stops `identity`'s timer and its venue subscription (called when the node passivates it). */
  release(identity: string): void;
}

/** The raw payload as logged: enough to diagnose, bounded so a huge frame cannot flood the log. */
function rawPayload(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch (error) {
    text = `<not serialisable: ${(error as Error).message}>`;
  }
  return text.length > 2000 ? `${text.slice(0, 2000)}…(${text.length} chars)` : text;
}

function instrumentOf(event: MarketDataEvent): InstrumentId {
  switch (event.kind) {
    case 'snapshot':
      return event.book.instrumentId;
    case 'delta':
      return event.delta.instrumentId;
    case 'trade':
      return event.trade.instrumentId;
    case 'stale':
      return event.instrumentId;
  }
}

const levelWire = (level: BookLevel | undefined): LevelWire | undefined =>
  level === undefined ? undefined : [level.price.toString(), level.quantity.toString()];

/**
 * `book/<venue>/<symbol>`: the L2 book of one instrument, built from the venue actor's market data
 * (a snapshot, then deltas; `stale` empties it until the next snapshot). Answers book and
 * top-of-book requests and publishes deltas and top-of-book changes to its subscribers. Input it
 * cannot use is logged with its raw payload, counted, and answered by a fresh snapshot request;
 * the book is never left half-applied.
 */
export function bookActor(deps: BookActorDeps): BookActor {
  const metrics = bookMetrics(deps.metrics);
  const resubscribeEveryMs = deps.resubscribeEveryMs ?? 5000;
  const defaultDepth = deps.defaultDepth ?? 100;
  const live = new Map<string, BookState>();

  const definition = defineActor<BookState, BookCommand>({
    kind: BOOK_KIND,
    initialState: (key, ctx) => {
      const [venue, symbol] = key.split('/');
      if (venue === undefined || symbol === undefined) {
        throw new InvalidArgumentError('identity.key', 'must be <venue>/<symbol>');
      }
      const state: BookState = {
        identity: ctx.identity,
        venue,
        instrumentId: formatInstrumentId(symbol, venue),
        book: new L2Book(),
        status: BookStatus.empty,
        needsFresh: false,
        identitySubscribers: new Set(),
        localSubscribers: new Map(),
        timer: undefined,
        sendLocal: () => undefined,
        lastTop: '',
        logger: ctx.logger,
      };
      live.set(ctx.identity, state);
      return state;
    },
    receive: (state, message, ctx) => {
      if (state.timer === undefined) start(state, ctx);
      switch (message.type) {
        case 'book-start':
          return state;
        case 'book-resubscribe':
          subscribeAtVenue(state, state.needsFresh || state.status !== BookStatus.synced);
          return state;
        case 'get-book':
          ctx.reply(message.replyTo, view(state, message.depth ?? defaultDepth));
          return state;
        case 'get-top':
          ctx.reply(message.replyTo, top(state));
          return state;
        case 'subscribe-book':
          state.identitySubscribers.add(message.subscriber);
          subscribersChanged(state);
          welcome(state, (update) => deliverTo(state, message.subscriber, update));
          return state;
        case 'unsubscribe-book':
          if (state.identitySubscribers.delete(message.subscriber)) removed(state, 'unsubscribed');
          return state;
        case 'subscribe-book-local':
          state.localSubscribers.set(message.ref.identity, message.ref);
          ctx.watch(message.ref, (terminated) => ({
            type: 'book-subscriber-stopped',
            identity: terminated.identity,
          }));
          subscribersChanged(state);
          welcome(state, (update) => ctx.send(message.ref, update));
          return state;
        case 'unsubscribe-book-local':
          ctx.unwatch(message.ref);
          if (state.localSubscribers.delete(message.ref.identity)) removed(state, 'unsubscribed');
          return state;
        case 'book-subscriber-stopped':
          if (state.localSubscribers.delete(message.identity)) removed(state, 'stopped');
          return state;
        case 'market-data':
          onMarketData(state, message);
          return state;
        default:
          metrics.badInput.inc({ venue: state.venue, reason: 'unknown-message' });
          state.logger.warn({ raw: rawPayload(message) }, 'unknown message ignored');
          return state;
      }
    },
  });

  function start(state: BookState, ctx: ActorContext<BookCommand>): void {
    const self = ctx.self;
    state.sendLocal = (ref, message) => ctx.send(ref, message);
    state.timer = setInterval(() => ctx.send(self, { type: 'book-resubscribe' }), resubscribeEveryMs);
    state.timer.unref();
    // A new activation always asks for a snapshot, even if the venue already feeds this identity.
    subscribeAtVenue(state, true);
  }

  function subscribeAtVenue(state: BookState, fresh: boolean): void {
    const message: VenueCommand = {
      type: 'subscribe-market-data',
      instrumentId: state.instrumentId,
      subscriber: state.identity,
      ...(fresh ? { fresh: true } : {}),
    };
    try {
      deps.send(`venue/${state.venue}`, message);
      state.needsFresh = false;
    } catch (error) {
      // No member can host the venue now: the next resubscribe tries again.
      state.logger.warn({ err: error, venue: state.venue }, 'could not reach the venue actor');
    }
  }

  function onMarketData(state: BookState, message: MarketDataMessage): void {
    let event: MarketDataEvent;
    try {
      event = fromMarketDataWire(message.event, 'event');
      const about = instrumentOf(event);
      if (about !== state.instrumentId) {
        throw new InvalidArgumentError(
          'event.instrumentId',
          `is ${about}, this book is ${state.instrumentId}`,
        );
      }
    } catch (error) {
      if (!isNinjaError(error)) throw error;
      badInput(state, 'malformed', error, message);
      return;
    }
    switch (event.kind) {
      case 'snapshot':
        applySnapshot(state, event.book, message);
        return;
      case 'delta':
        applyDelta(state, event.delta, message);
        return;
      case 'stale':
        markStale(state, 'venue', event.reason);
        return;
      case 'trade':
        publishTrade(state, message);
        return;
    }
  }

  /** Forwards a public trade to the subscribers as the venue sent it (already validated above). */
  function publishTrade(state: BookState, message: MarketDataMessage): void {
    if (message.event.kind !== 'trade') return;
    const { kind: _kind, ...trade } = message.event;
    publish(state, { kind: 'trade', trade });
  }

  function applySnapshot(state: BookState, snapshot: BookSnapshot, raw: MarketDataMessage): void {
    try {
      state.book.reset(snapshot);
    } catch (error) {
      if (!isNinjaError(error)) throw error;
      badInput(state, 'bad-level', error, raw);
      return;
    }
    if (state.book.crossed()) {
      badInput(
        state,
        'crossed',
        new InvalidArgumentError('event.book', 'best bid is at or above best ask'),
        raw,
      );
      return;
    }
    state.status = BookStatus.synced;
    metrics.updatesApplied.inc({ venue: state.venue, kind: 'snapshot' });
    const wire = toBookWire(snapshot);
    publish(state, { kind: 'snapshot', book: wire });
    publishTop(state, true);
  }

  function applyDelta(state: BookState, delta: BookDelta, raw: MarketDataMessage): void {
    if (state.status !== BookStatus.synced) {
      metrics.ignored.inc({ venue: state.venue, reason: 'not-synced' });
      return;
    }
    let applied: boolean;
    try {
      applied = state.book.apply(delta);
    } catch (error) {
      if (!isNinjaError(error)) throw error;
      badInput(state, 'bad-level', error, raw);
      return;
    }
    if (!applied) {
      metrics.ignored.inc({ venue: state.venue, reason: 'old-sequence' });
      return;
    }
    if (state.book.crossed()) {
      badInput(
        state,
        'crossed',
        new InvalidArgumentError('event.delta', 'best bid is at or above best ask'),
        raw,
      );
      return;
    }
    metrics.updatesApplied.inc({ venue: state.venue, kind: 'delta' });
    publish(state, { kind: 'delta', delta: toBookWire(delta) });
    publishTop(state, false);
  }

  function badInput(state: BookState, reason: string, error: Error, raw: MarketDataMessage): void {
    metrics.badInput.inc({ venue: state.venue, reason });
    state.logger.warn(
      { err: error, reason, raw: rawPayload(raw) },
      'market data not usable; resyncing the book',
    );
    markStale(state, reason, error.message);
    state.needsFresh = true;
    subscribeAtVenue(state, true);
  }

  function markStale(state: BookState, reason: string, detail: string): void {
    state.book.clear();
    if (state.status === BookStatus.stale) return;
    const was = state.status;
    state.status = BookStatus.stale;
    if (was === BookStatus.synced) metrics.resyncs.inc({ venue: state.venue, reason });
    state.logger.info({ reason, detail }, 'book stale; waiting for a fresh snapshot');
    publish(state, { kind: 'stale', reason: detail });
    state.lastTop = '';
  }

  function view(state: BookState, depth: number): BookView {
    const d = Number.isInteger(depth) && depth > 0 ? depth : defaultDepth;
    return {
      status: state.status,
      ...toBookWire({
        instrumentId: state.instrumentId,
        sequence: state.book.sequence,
        bids: state.book.bids.top(d),
        asks: state.book.asks.top(d),
        timestamp: state.book.timestamp,
      }),
    };
  }

  function top(state: BookState): TopOfBookWire {
    const bid = levelWire(state.book.bids.best());
    const ask = levelWire(state.book.asks.best());
    return {
      instrumentId: state.instrumentId,
      status: state.status,
      sequence: state.book.sequence,
      ...(bid === undefined ? {} : { bid }),
      ...(ask === undefined ? {} : { ask }),
    };
  }

  /** Sends top of book when it changed (or always, after a snapshot). */
  function publishTop(state: BookState, always: boolean): void {
    const current = top(state);
    const key = `${current.bid?.join('@') ?? ''}|${current.ask?.join('@') ?? ''}`;
    if (!always && key === state.lastTop) return;
    state.lastTop = key;
    publish(state, { kind: 'top', top: current });
  }

  /** A new subscriber gets the current book at once (when there is one). */
  function welcome(state: BookState, deliver: (update: BookUpdate) => void): void {
    if (state.status !== BookStatus.synced) return;
    deliver({
      type: 'book-update',
      book: state.identity,
      update: { kind: 'snapshot', book: view(state, Number.MAX_SAFE_INTEGER) },
    });
    deliver({ type: 'book-update', book: state.identity, update: { kind: 'top', top: top(state) } });
  }

  function publish(state: BookState, update: BookUpdate['update']): void {
    const message: BookUpdate = { type: 'book-update', book: state.identity, update };
    for (const subscriber of state.identitySubscribers) deliverTo(state, subscriber, message);
    for (const ref of state.localSubscribers.values()) {
      state.sendLocal(ref, message);
      metrics.published.inc({ venue: state.venue, kind: update.kind });
    }
  }

  function deliverTo(state: BookState, subscriber: string, message: BookUpdate): void {
    try {
      deps.send(subscriber, message);
      metrics.published.inc({ venue: state.venue, kind: message.update.kind });
    } catch (error) {
      state.identitySubscribers.delete(subscriber);
      removed(state, 'unreachable');
      state.logger.warn({ err: error, subscriber }, 'book subscriber unreachable; removed');
    }
  }

  function subscribersChanged(state: BookState): void {
    metrics.subscribers.set(
      { book: state.identity },
      state.identitySubscribers.size + state.localSubscribers.size,
    );
  }

  function removed(state: BookState, reason: string): void {
    metrics.subscribersRemoved.inc({ venue: state.venue, reason });
    subscribersChanged(state);
  }

  /**
   * The venue actor is not told: a forward to this identity re-activates the book wherever it now
   * lives (virtual actor), and that activation asks for a fresh snapshot.
   */
  function release(identity: string): void {
    const state = live.get(identity);
    if (state === undefined) return;
    live.delete(identity);
    clearInterval(state.timer);
    metrics.subscribers.remove({ book: identity });
  }

  return { definition, release };
}
