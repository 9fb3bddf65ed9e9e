import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineActor } from '../../../actors/kernel/index.ts';
import type { ActorRef } from '../../../actors/kernel/index.ts';
import { BookStatus } from '../../../actors/book/index.ts';
import type { BookCommand, BookUpdate, BookView } from '../../../actors/book/index.ts';
import { VenueConnectors, registerVenueKinds, toOrderRequestWire } from '../../../actors/venue/index.ts';
import type {
  OrderSnapshotWire,
  PlacementWire,
  VenueCommand,
  VenueStatus,
} from '../../../actors/venue/index.ts';
import { ClusterNode } from '../../../cluster/index.ts';
import {
  OrderSide,
  OrderType,
  TimeInForce,
  newOrderId,
  parseAccountId,
  parseClientOrderId,
  parseInstrumentId,
} from '../../../domain/index.ts';
import { Price, Quantity } from '../../../domain/values/index.ts';
import { MetricsRegistry, createLogger } from '../../../observability/index.ts';
import { BinanceUsConnector, BinanceUsCredentials } from '../../../venues/binanceus/index.ts';
import { startBinanceUsSimulator } from '../../../venues/sim/binanceus/index.ts';
import type { BinanceUsSimulator } from '../../../venues/sim/binanceus/index.ts';
import { testLogger, waitFor } from '../../support/index.ts';

const BOOK = 'book/binanceus/BTCUSD';
const VENUE = 'venue/binanceus';
const BTC = parseInstrumentId('BTCUSD.BINANCEUS');

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

describe('venue and book actors on a cluster node against the Binance.US simulator', () => {
  let sim: BinanceUsSimulator;
  let node: ClusterNode;
  const metrics = new MetricsRegistry();
  const logLines: string[] = [];
  const updates: BookUpdate[] = [];
  let recorder: ActorRef<BookUpdate>;

  beforeAll(async () => {
    sim = await startBinanceUsSimulator({ port: 0, seed: 11, seedLevels: 10, logger: testLogger('sim') });
    const capture = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString('utf8'));
        done();
      },
    });
    const logger = createLogger({ level: 'info', destination: capture });
    node = new ClusterNode({
      nodeId: 'v1',
      roles: ['venue'],
      version: 'test',
      logger,
      metrics,
      membership: { type: 'static' },
    });
    const connectors = new VenueConnectors({
      binanceus: () =>
        new BinanceUsConnector({
          // The REST layer's own circuit stays out of the way: the actor's circuit is under test.
          config: {
            urls: { rest: sim.restUrl, ws: sim.wsUrl },
            requestTimeoutMs: 2000,
            circuitFailureThreshold: 1000,
            reconnectInitialMs: 20,
            reconnectMaxMs: 200,
          },
          credentials: new BinanceUsCredentials(sim.apiKey, sim.apiSecret),
          logger,
          metrics,
          symbols: ['BTCUSD', 'ETHUSD'],
        }),
    });
    registerVenueKinds(node, {
      connectors,
      metrics,
      circuit: { failureThreshold: 3, halfOpenAfterMs: 300 },
      reconnect: { initialDelayMs: 20, maxDelayMs: 200 },
      resubscribeEveryMs: 300,
    });
    await node.start();
    recorder = node.system.spawn(
      defineActor<null, BookUpdate>({
        kind: 'test-book-subscriber',
        initialState: () => null,
        receive: (state, update) => {
          updates.push(update);
          return state;
        },
      }),
      'r1',
    );
  });

  afterAll(async () => {
    await node.stop();
    await sim.close();
  });

  const getBook = (): Promise<BookView> =>
    node.request<BookView, BookCommand>(BOOK, (replyTo) => ({ type: 'get-book', depth: 1000, replyTo }), {
      timeoutMs: 5000,
    });

  /** The actor's book equals the engine's book level by level. */
  const matchesEngine = async (): Promise<boolean> => {
    const view = await getBook();
    if (view.status !== BookStatus.synced) return false;
    const engine = sim.control.engine.book('BTCUSD', 1000);
    const same = (ours: readonly (readonly [string, string])[], theirs: typeof engine.bids): boolean =>
      ours.length === theirs.length &&
      ours.every(([p, q], i) => {
        const level = theirs[i];
        return level !== undefined && Price.parse(p).eq(level[0]) && Quantity.parse(q).eq(level[1]);
      });
    return same(view.bids, engine.bids) && same(view.asks, engine.asks);
  };

  const venueStatus = (): Promise<VenueStatus> =>
    node.request<VenueStatus, VenueCommand>(VENUE, (replyTo) => ({ type: 'venue-status', replyTo }), {
      timeoutMs: 5000,
    });

  it('the book actor rebuilds the book from the venue', async () => {
    node.send<BookCommand>(BOOK, { type: 'book-start' });
    await waitFor(matchesEngine, 10_000, 'book equal to the engine');
    expect((await venueStatus()).connection).toBe('connected');
    expect(await metric(metrics, 'book_actor_updates_applied_total', { kind: 'snapshot' })).toBeGreaterThan(
      0,
    );
  });

  it('a subscriber receives the book, then deltas and top of book', async () => {
    node.send<BookCommand>(BOOK, { type: 'subscribe-book-local', ref: recorder });
    await waitFor(() => updates.some((u) => u.update.kind === 'snapshot'), 5000, 'welcome snapshot');
    sim.control.step(30);
    await waitFor(() => updates.some((u) => u.update.kind === 'delta'), 5000, 'a delta');
    await waitFor(
      () => updates.filter((u) => u.update.kind === 'top').length >= 2,
      5000,
      'top of book updates',
    );
    await waitFor(matchesEngine, 5000, 'book equal to the engine after flow');
    expect(await metric(metrics, 'book_actor_subscribers', { book: BOOK })).toBe(1);
  });

  it('an injected sequence gap makes the book stale, then resyncs it from a fresh snapshot', async () => {
    const resyncsBefore = await metric(metrics, 'book_actor_resyncs_total');
    const from = updates.length;
    await fetch(`${sim.restUrl}/__control/faults`, {
      method: 'POST',
      body: JSON.stringify({ sequenceGap: { count: 1, symbols: ['BTCUSD'] } }),
    });
    sim.control.step(10);
    await waitFor(() => updates.slice(from).some((u) => u.update.kind === 'stale'), 5000, 'stale update');
    const staleAt = from + updates.slice(from).findIndex((u) => u.update.kind === 'stale');
    await waitFor(
      () => updates.slice(staleAt).some((u) => u.update.kind === 'snapshot'),
      5000,
      'snapshot after stale',
    );
    expect(await metric(metrics, 'book_actor_resyncs_total')).toBeGreaterThan(resyncsBefore);
    sim.control.step(10);
    await waitFor(matchesEngine, 5000, 'book equal to the engine after the resync');
  });

  it('bad input from the venue or on the wire is logged raw, counted, and never corrupts the book', async () => {
    const malformedBefore = await metric(metrics, 'binanceus_malformed_payloads_total');
    const badBefore = await metric(metrics, 'book_actor_bad_input_total');
    // From the venue: invalid JSON, wrong types, unknown fields.
    sim.control.injectFrame('{"stream":"btcusd@depth@100ms","data":{not json');
    sim.control.injectFrame(
      JSON.stringify({
        stream: 'btcusd@depth@100ms',
        data: { e: 'depthUpdate', E: 1, s: 'BTCUSD', U: 'soon', u: 7, b: [['1.00', 1]], a: {} },
      }),
    );
    sim.control.injectFrame(
      JSON.stringify({
        stream: 'btcusd@trade',
        data: { e: 'trade', E: 1, s: 'BTCUSD', t: 1, p: 1.5, q: '1', T: 1, m: true, z: [] },
      }),
    );
    // On the wire to the book actor: a delta whose level is not a decimal, and one of another instrument.
    node.send<BookCommand>(BOOK, {
      type: 'market-data',
      venue: 'binanceus',
      event: {
        kind: 'delta',
        delta: { instrumentId: BTC, sequence: 1e12, bids: [['abc', '1']], asks: [], timestamp: 1 },
      },
    });
    node.send<BookCommand>(BOOK, {
      type: 'market-data',
      venue: 'binanceus',
      event: { kind: 'stale', instrumentId: 'ETHUSD.BINANCEUS', reason: 'x' },
    });
    await waitFor(
      async () => (await metric(metrics, 'binanceus_malformed_payloads_total')) >= malformedBefore + 2,
      5000,
      'venue frames counted as malformed',
    );
    await waitFor(
      async () => (await metric(metrics, 'book_actor_bad_input_total')) >= badBefore + 2,
      5000,
      'wire messages counted as bad input',
    );
    expect(logLines.some((line) => line.includes('{not json'))).toBe(true);
    expect(logLines.some((line) => line.includes('market data not usable') && line.includes('abc'))).toBe(
      true,
    );
    sim.control.step(10);
    await waitFor(matchesEngine, 5000, 'book equal to the engine after bad input');
  });

  it('the venue actor places and cancels through its connector', async () => {
    const view = await getBook();
    const bid = view.bids[5]?.[0];
    if (bid === undefined) throw new Error('no bid level to rest at');
    const request = toOrderRequestWire({
      id: newOrderId(),
      clientOrderId: parseClientOrderId('va-rest-1'),
      accountId: parseAccountId('0b6f3c9e-5d1a-4f7e-9c2b-8a4d6e1f3a5b'),
      instrumentId: BTC,
      side: OrderSide.BUY,
      type: OrderType.LIMIT,
      timeInForce: TimeInForce.GTC,
      quantity: Quantity.parse('0.001000'),
      price: Price.parse(bid),
      createdAt: Date.now(),
    });
    const placed = await node.request<PlacementWire, VenueCommand>(
      VENUE,
      (replyTo) => ({ type: 'place-order', request, replyTo }),
      { timeoutMs: 5000 },
    );
    expect(placed).toMatchObject({
      kind: 'accepted',
      order: { clientOrderId: 'va-rest-1', status: 'ACKNOWLEDGED' },
    });
    const cancelled = await node.request<OrderSnapshotWire, VenueCommand>(
      VENUE,
      (replyTo) => ({
        type: 'cancel-order',
        ref: { instrumentId: BTC, clientOrderId: 'va-rest-1' },
        replyTo,
      }),
      { timeoutMs: 5000 },
    );
    expect(cancelled.status).toBe('CANCELLED');
    expect(sim.control.acceptedCount('va-rest-1')).toBe(1);
  });

  it('the circuit opens on repeated 5xx, fails fast while open, and closes again', async () => {
    const openOrders = (): Promise<unknown> =>
      node.request<unknown, VenueCommand>(
        VENUE,
        (replyTo) => ({ type: 'open-orders', instrumentId: BTC, replyTo }),
        { timeoutMs: 5000 },
      );
    await fetch(`${sim.restUrl}/__control/faults`, {
      method: 'POST',
      body: JSON.stringify({ serverError: { status: 503, count: 1000, paths: ['/api/v3/openOrders'] } }),
    });
    for (let i = 0; i < 3; i++) await expect(openOrders()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect((await venueStatus()).circuit).toBe('open');
    expect(await metric(metrics, 'venue_actor_circuit_state', { venue: 'binanceus' })).toBe(1);
    const requestsBefore = await metric(metrics, 'binanceus_requests_total', { path: '/api/v3/openOrders' });
    await expect(openOrders()).rejects.toThrow(/circuit open/);
    expect(await metric(metrics, 'binanceus_requests_total', { path: '/api/v3/openOrders' })).toBe(
      requestsBefore,
    );
    await fetch(`${sim.restUrl}/__control/faults`, { method: 'DELETE' });
    await new Promise((resolve) => setTimeout(resolve, 350));
    await expect(openOrders()).resolves.toEqual([]);
    expect((await venueStatus()).circuit).toBe('closed');
    expect(await metric(metrics, 'venue_actor_circuit_transitions_total', { state: 'open' })).toBe(1);
  });
});
