import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, MetricsRegistry } from '../../observability/index.ts';
import { createActorSystem, defineActor } from '../kernel/index.ts';
import type { ActorRef, ActorSystem } from '../kernel/index.ts';
import type { MarketDataMessage, VenueCommand } from '../venue/venue-messages.ts';
import type { BookWire, MarketDataWire } from '../venue/venue-wire.ts';
import { bookActor } from './book-actor.ts';
import type { BookCommand, BookUpdate, BookView, TopOfBookWire } from './book-messages.ts';

const ID = 'BTCUSD.BINANCEUS';
let systems = 0;

async function metric(
  metrics: MetricsRegistry,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const data = await metrics.registry.getSingleMetric(name)?.get();
  return (data?.values ?? [])
    .filter((v) => Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want))
    .reduce((sum, v) => sum + v.value, 0);
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

function book(sequence: number, bids: [string, string][], asks: [string, string][]): BookWire {
  return { instrumentId: ID, sequence, bids, asks, timestamp: 1 };
}
const md = (event: MarketDataWire): MarketDataMessage => ({ type: 'market-data', venue: 'binanceus', event });

describe('book actor', () => {
  let system: ActorSystem;
  const sent: { identity: string; message: unknown }[] = [];
  const metrics = new MetricsRegistry();

  function start(options: { unreachable?: string } = {}): ActorRef<BookCommand> {
    systems += 1;
    system = createActorSystem({
      name: `book-test-${systems}`,
      logger: createLogger({ level: 'silent' }),
      metrics,
    });
    const actor = bookActor({
      send: (identity, message) => {
        if (identity === options.unreachable) throw new Error('no member hosts it');
        sent.push({ identity, message });
      },
      metrics,
      resubscribeEveryMs: 60_000,
    });
    return system.spawn(actor.definition, 'binanceus/BTCUSD');
  }

  afterEach(async () => {
    sent.length = 0;
    await system.shutdown();
  });

  const getBook = (ref: ActorRef<BookCommand>): Promise<BookView> =>
    system.request<BookView, BookCommand>(ref, (replyTo) => ({ type: 'get-book', replyTo }), {
      timeoutMs: 1000,
    });
  const getTop = (ref: ActorRef<BookCommand>): Promise<TopOfBookWire> =>
    system.request<TopOfBookWire, BookCommand>(ref, (replyTo) => ({ type: 'get-top', replyTo }), {
      timeoutMs: 1000,
    });

  function recorder(key: string, into: BookUpdate[]): ActorRef<BookUpdate> {
    return system.spawn(
      defineActor<null, BookUpdate>({
        kind: 'recorder',
        initialState: () => null,
        receive: (state, update) => {
          into.push(update);
          return state;
        },
      }),
      key,
    );
  }

  it('asks its venue for a fresh snapshot, builds the book, and publishes deltas and top changes', async () => {
    const ref = start();
    const updates: BookUpdate[] = [];
    system.send(ref, { type: 'subscribe-book-local', ref: recorder('r1', updates) });
    await settle();
    expect(sent[0]).toEqual({
      identity: 'venue/binanceus',
      message: {
        type: 'subscribe-market-data',
        instrumentId: ID,
        subscriber: 'book/binanceus/BTCUSD',
        fresh: true,
      } satisfies VenueCommand,
    });
    system.send(
      ref,
      md({
        kind: 'snapshot',
        book: book(
          10,
          [
            ['100', '1'],
            ['99', '2'],
          ],
          [['101', '1']],
        ),
      }),
    );
    system.send(ref, md({ kind: 'delta', delta: book(11, [['98', '5']], []) }));
    system.send(ref, md({ kind: 'delta', delta: book(12, [['100', '0']], [['100.5', '3']]) }));
    system.send(ref, md({ kind: 'delta', delta: book(12, [['50', '1']], []) }));
    const view = await getBook(ref);
    expect(view).toMatchObject({
      status: 'synced',
      sequence: 12,
      bids: [
        ['99', '2'],
        ['98', '5'],
      ],
      asks: [
        ['100.5', '3'],
        ['101', '1'],
      ],
    });
    expect(await getTop(ref)).toMatchObject({ bid: ['99', '2'], ask: ['100.5', '3'] });
    await settle();
    expect(updates.map((u) => u.update.kind)).toEqual(['snapshot', 'top', 'delta', 'delta', 'top']);
    expect(await metric(metrics, 'book_actor_ignored_total', { reason: 'old-sequence' })).toBeGreaterThan(0);
  });

  it('forwards venue trades to its subscribers without touching the book', async () => {
    const ref = start();
    const updates: BookUpdate[] = [];
    system.send(ref, { type: 'subscribe-book-local', ref: recorder('r-trades', updates) });
    system.send(ref, md({ kind: 'snapshot', book: book(10, [['100', '1']], [['101', '1']]) }));
    const trade = {
      instrumentId: ID,
      tradeId: 't-1',
      price: '100.50',
      quantity: '0.25',
      aggressorSide: 'BUY',
      timestamp: 7,
    };
    system.send(ref, md({ kind: 'trade', ...trade }));
    expect(await getBook(ref)).toMatchObject({ sequence: 10, bids: [['100', '1']], asks: [['101', '1']] });
    await settle();
    expect(updates.map((u) => u.update)).toContainEqual({ kind: 'trade', trade });
  });

  it('goes stale on a gap, publishes it, and rebuilds from the next snapshot', async () => {
    const ref = start();
    system.send(ref, { type: 'subscribe-book', subscriber: 'strategy/s1' });
    system.send(ref, md({ kind: 'snapshot', book: book(10, [['100', '1']], [['101', '1']]) }));
    system.send(ref, md({ kind: 'stale', instrumentId: ID, reason: 'gap' }));
    system.send(ref, md({ kind: 'delta', delta: book(11, [['100', '9']], []) }));
    expect(await getBook(ref)).toMatchObject({ status: 'stale', bids: [], asks: [] });
    system.send(ref, md({ kind: 'snapshot', book: book(20, [['100', '2']], [['101', '1']]) }));
    expect(await getBook(ref)).toMatchObject({ status: 'synced', sequence: 20, bids: [['100', '2']] });
    const toSubscriber = sent
      .filter((s) => s.identity === 'strategy/s1')
      .map((s) => (s.message as BookUpdate).update.kind);
    expect(toSubscriber).toEqual(['snapshot', 'top', 'stale', 'snapshot', 'top']);
    expect(await metric(metrics, 'book_actor_resyncs_total', { reason: 'venue' })).toBeGreaterThan(0);
  });

  it('never applies bad input: it is counted, the book resyncs with a fresh snapshot request', async () => {
    const ref = start();
    system.send(ref, md({ kind: 'snapshot', book: book(10, [['100', '1']], [['101', '1']]) }));
    const before = await metric(metrics, 'book_actor_bad_input_total');
    sent.length = 0;
    system.send(ref, md({ kind: 'delta', delta: book(11, [['99', 'lots']], []) }));
    system.send(ref, {
      type: 'market-data',
      venue: 'binanceus',
      event: { kind: 'delta', delta: null },
    } as unknown as BookCommand);
    system.send(ref, md({ kind: 'snapshot', book: book(12, [['102', '1']], [['101', '1']]) }));
    system.send(ref, md({ kind: 'delta', delta: { ...book(13, [], []), instrumentId: 'ETHUSD.BINANCEUS' } }));
    const view = await getBook(ref);
    expect(view).toMatchObject({ status: 'stale', bids: [], asks: [] });
    expect(await metric(metrics, 'book_actor_bad_input_total')).toBe(before + 4);
    expect(sent.some((s) => (s.message as { fresh?: boolean }).fresh === true)).toBe(true);
    system.send(ref, md({ kind: 'snapshot', book: book(30, [['100', '1']], [['101', '1']]) }));
    expect((await getBook(ref)).status).toBe('synced');
  });

  it('removes a local subscriber that stops and an identity subscriber that cannot be reached', async () => {
    const ref = start({ unreachable: 'strategy/gone' });
    const updates: BookUpdate[] = [];
    const subscriber = recorder('r2', updates);
    system.send(ref, { type: 'subscribe-book-local', ref: subscriber });
    system.send(ref, { type: 'subscribe-book', subscriber: 'strategy/gone' });
    system.send(ref, md({ kind: 'snapshot', book: book(10, [['100', '1']], [['101', '1']]) }));
    await getBook(ref);
    expect(
      await metric(metrics, 'book_actor_subscribers_removed_total', { reason: 'unreachable' }),
    ).toBeGreaterThan(0);
    await system.stop(subscriber);
    await settle();
    await getBook(ref);
    expect(
      await metric(metrics, 'book_actor_subscribers_removed_total', { reason: 'stopped' }),
    ).toBeGreaterThan(0);
    expect(await metric(metrics, 'book_actor_subscribers', { book: 'book/binanceus/BTCUSD' })).toBe(0);
  });
});
