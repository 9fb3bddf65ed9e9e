import { Client, Metadata, credentials, status } from '@grpc/grpc-js';
import type { ClientReadableStream, ServiceError } from '@grpc/grpc-js';
import { connect, createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VenueConnectors, registerVenueKinds } from '../../../actors/venue/index.ts';
import { createInstrument } from '../../../domain/index.ts';
import { FixedDecimal, Money, Price, Quantity } from '../../../domain/values/index.ts';
import { MetricsRegistry } from '../../../observability/index.ts';
import { streamMetrics } from '../../../gateway/streams/stream-metrics.ts';
import {
  GetOrderBookRequest,
  GetOrderBookResponse,
  ListInstrumentsRequest,
  ListInstrumentsResponse,
  StreamOrderBookRequest,
  StreamOrderBookResponse,
  StreamTradesRequest,
  StreamTradesResponse,
} from '../../../proto/gen/ninja/v1/market_data.ts';
import { OrderSide } from '../../../proto/gen/ninja/v1/order.ts';
import { MarketDataGenerator, MatchingEngine } from '../../../venues/paper/index.ts';
import { PaperConnector } from '../../../venues/paper/paper-connector.ts';
import { testLogger, waitFor } from '../../support/index.ts';
import { signUp, startGatewayNode } from './gateway-harness.ts';
import type { CallResult, GatewayTestNode, TestUser } from './gateway-harness.ts';

const BTC = createInstrument({
  venue: 'paper',
  symbol: 'BTC-USD',
  baseAsset: 'BTC',
  quoteAsset: 'USD',
  tickSize: Price.parse('0.01'),
  stepSize: Quantity.parse('0.0001'),
  minQuantity: Quantity.parse('0.0001'),
  maxQuantity: Quantity.parse('1000'),
  minNotional: Money.parse('1', 'USD'),
});

let gw: GatewayTestNode;
let alice: TestUser;
let generator: MarketDataGenerator;

beforeAll(async () => {
  const engine = new MatchingEngine({
    instruments: [BTC],
    makerFeeRate: FixedDecimal.parse('0.001'),
    takerFeeRate: FixedDecimal.parse('0.002'),
    clock: () => Date.now(),
    seed: 5,
  });
  generator = new MarketDataGenerator({
    engine,
    instrumentId: BTC.id,
    seed: 5,
    initialMid: Price.parse('30000.00'),
  });
  generator.step(300);
  const connectors = new VenueConnectors({
    paper: () =>
      new PaperConnector({
        engine,
        instruments: [BTC],
        accountId: 'gateway-test',
        logger: testLogger('paper'),
      }),
  });
  gw = await startGatewayNode({
    env: { NINJA_ROLES: 'gateway,trading,venue' },
    registerKinds: (node) => registerVenueKinds(node, { connectors, metrics: new MetricsRegistry() }),
  });
  alice = await signUp(gw, 'alice@example.com');
});
afterAll(async () => {
  await gw.stop();
});

const getBook = (symbol: string, depth: number): Promise<CallResult<GetOrderBookResponse>> =>
  gw.grpc.unary(
    '/ninja.v1.MarketDataService/GetOrderBook',
    { instrumentId: { symbol, venue: 'paper' }, depth },
    GetOrderBookRequest,
    GetOrderBookResponse,
    { token: alice.token },
  );

describe('MarketDataService.GetOrderBook', () => {
  it('answers from the book actor book/<venue>/<symbol>, levels as exact decimal strings', async () => {
    let result: CallResult<GetOrderBookResponse> = await getBook('BTC-USD', 5);
    await waitFor(
      async () => {
        result = await getBook('BTC-USD', 5);
        return result.ok || result.code !== status.UNAVAILABLE;
      },
      15_000,
      'the paper book to sync',
    );
    if (!result.ok) throw new Error(`GetOrderBook: ${status[result.code]} ${result.details}`);
    const book = result.value.book;
    expect(book?.instrumentId).toEqual({ symbol: 'BTC-USD', venue: 'paper' });
    expect(book?.bids.length).toBeGreaterThan(0);
    expect(book?.bids.length).toBeLessThanOrEqual(5);
    expect(book?.asks[0]?.price?.value).toMatch(/^\d+\.\d{2}$/);
    const bestBid = Price.parse(book?.bids[0]?.price?.value ?? '0');
    const bestAsk = Price.parse(book?.asks[0]?.price?.value ?? '0');
    expect(bestBid.lt(bestAsk)).toBe(true);
  });

  it('refuses a malformed instrument before asking any actor', async () => {
    expect(await getBook('btc-usd', 5)).toMatchObject({
      ok: false,
      code: status.INVALID_ARGUMENT,
      field: 'instrument_id.symbol',
    });
    expect(await getBook('BTC-USD', 5000)).toMatchObject({
      ok: false,
      code: status.INVALID_ARGUMENT,
      field: 'depth',
    });
  });
});

describe('MarketDataService.ListInstruments', () => {
  it('lists the paper instruments with their rules as exact decimal strings', async () => {
    const result = await gw.grpc.unary(
      '/ninja.v1.MarketDataService/ListInstruments',
      { venue: 'paper' },
      ListInstrumentsRequest,
      ListInstrumentsResponse,
      { token: alice.token },
    );
    if (!result.ok) throw new Error(`ListInstruments: ${status[result.code]} ${result.details}`);
    expect(result.value.instruments).toEqual([
      {
        id: { symbol: 'BTC-USD', venue: 'paper' },
        baseAsset: 'BTC',
        quoteAsset: 'USD',
        tickSize: { value: '0.01' },
        stepSize: { value: '0.0001' },
        minQuantity: { value: '0.0001' },
        maxQuantity: { value: '1000' },
        minNotional: { value: '1' },
      },
    ]);
  });

  it('without a venue asks every venue; those without a connector are left out, not fatal', async () => {
    const result = await gw.grpc.unary(
      '/ninja.v1.MarketDataService/ListInstruments',
      { venue: '' },
      ListInstrumentsRequest,
      ListInstrumentsResponse,
      { token: alice.token },
    );
    if (!result.ok) throw new Error(`ListInstruments: ${status[result.code]} ${result.details}`);
    expect(result.value.instruments.map((i) => i.id?.symbol)).toEqual(['BTC-USD']);
  });
});

/** A gRPC server stream on a connection of its own (optionally through a StallingProxy). */
class GrpcStream<Res> {
  readonly received: Res[] = [];
  error: ServiceError | undefined;
  ended = false;
  private readonly client: Client;
  private readonly call: ClientReadableStream<Res>;

  constructor(path: string, request: Buffer, decode: (bytes: Buffer) => Res, address = gw.grpcAddress) {
    this.client = new Client(address, credentials.createInsecure());
    const metadata = new Metadata();
    metadata.set('authorization', `Bearer ${alice.token}`);
    this.call = this.client.makeServerStreamRequest(
      path,
      (value: Buffer) => value,
      decode,
      request,
      metadata,
      {},
    );
    this.call.on('error', (error: ServiceError) => {
      this.error = error;
    });
    this.call.on('end', () => {
      this.ended = true;
    });
    this.call.on('data', (message: Res) => this.received.push(message));
  }

  close(): void {
    this.call.cancel();
    this.client.close();
  }
}

/**
 * A TCP proxy on loopback whose gateway→client direction can be stalled: the gateway then sees a
 * client that does not read its socket (a grpc-js client that merely stops reading still drains it).
 */
class StallingProxy {
  private readonly server: Server;
  private readonly upstreams = new Set<Socket>();
  private readonly pairs = new Map<Socket, Socket>();
  private stalled = false;

  constructor(private readonly target: { host: string; port: number }) {
    this.server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      this.upstreams.add(upstream);
      this.pairs.set(upstream, client);
      client.pipe(upstream);
      if (!this.stalled) upstream.pipe(client);
      const end = () => {
        client.destroy();
        upstream.destroy();
        this.upstreams.delete(upstream);
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stall(): void {
    this.stalled = true;
    for (const upstream of this.upstreams) {
      upstream.unpipe(this.pairs.get(upstream));
      upstream.pause();
    }
  }

  flow(): void {
    this.stalled = false;
    for (const upstream of this.upstreams) {
      const client = this.pairs.get(upstream);
      if (client !== undefined) upstream.pipe(client);
    }
  }

  close(): void {
    for (const upstream of this.upstreams) upstream.destroy();
    this.server.close();
  }
}

const bookStream = (address?: string) =>
  new GrpcStream(
    '/ninja.v1.MarketDataService/StreamOrderBook',
    Buffer.from(
      StreamOrderBookRequest.encode({
        instrumentId: { symbol: 'BTC-USD', venue: 'paper' },
        depth: 10,
      }).finish(),
    ),
    (bytes) => StreamOrderBookResponse.decode(bytes),
    address,
  );

let diagnostics = (): string => '';

/**
 * Generated order flow until `done`, in small bursts with pauses (the paper venue publishes
 * synchronously: bigger bursts overflow the book actor's mailbox on a loaded machine). Bounded.
 */
async function driveUntil(done: () => boolean | Promise<boolean>, what: string, burst = 40): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out driving the market until ${what}${diagnostics()}`);
    generator.step(burst);
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
}

/** Sequences of a book stream: snapshots restart it; every update must follow the previous message. */
function checkContinuity(messages: readonly StreamOrderBookResponse[]): void {
  let last: bigint | undefined;
  for (const message of messages) {
    const book = message.snapshot ?? message.update;
    const sequence = book?.sequence ?? 0n;
    if (message.update !== undefined && last !== undefined) expect(sequence).toBeGreaterThan(last);
    last = sequence;
  }
}

const counterValue = async (counter: { get(): Promise<{ values: { labels: object; value: number }[] }> }) =>
  (await counter.get()).values.reduce((sum, v) => sum + v.value, 0);

describe('MarketDataService.StreamOrderBook', () => {
  it('serves a snapshot then updates in order to gRPC and ws clients, from ONE book subscription', async () => {
    const hub = gw.node.gateway?.streams;
    if (hub === undefined) throw new Error('node without a gateway');
    const a = bookStream();
    const b = bookStream();
    const ws = new WebSocket(gw.wsUrl, { headers: { authorization: `Bearer ${alice.token}` } });
    const wsFrames: Record<string, unknown>[] = [];
    ws.on('message', (data: Buffer) =>
      wsFrames.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>),
    );
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(
      JSON.stringify({
        id: 'book',
        method: 'ninja.v1.MarketDataService/StreamOrderBook',
        params: { instrumentId: { symbol: 'BTC-USD', venue: 'paper' }, depth: 10 },
      }),
    );
    await driveUntil(
      () => [a.received, b.received].every((r) => r.length > 0) && wsFrames.length > 0,
      'every client has its snapshot',
    );
    expect(hub.bookSubscriptions).toBe(1);
    expect(hub.clientsOf('book/paper/BTC-USD')).toBe(3);
    await driveUntil(
      () => [a.received, b.received].every((r) => r.filter((m) => m.update !== undefined).length >= 20),
      'twenty updates each',
    );
    for (const stream of [a, b]) {
      expect(stream.received[0]?.snapshot?.bids.length).toBeLessThanOrEqual(10);
      checkContinuity(stream.received);
    }
    // The same updates, in the same order, to both clients.
    const sequencesOf = (messages: readonly StreamOrderBookResponse[]) =>
      messages.flatMap((m) => (m.update === undefined ? [] : [m.update.sequence]));
    const fromA = sequencesOf(a.received);
    const fromB = sequencesOf(b.received);
    const common = fromA.filter((sequence) => fromB.includes(sequence));
    expect(common.length).toBeGreaterThan(10);
    expect(fromB.filter((sequence) => fromA.includes(sequence))).toEqual(common);

    const wsMessages = wsFrames.map((frame) => StreamOrderBookResponse.fromJSON(frame['stream']));
    expect(wsMessages[0]?.snapshot?.instrumentId).toEqual({ symbol: 'BTC-USD', venue: 'paper' });
    checkContinuity(wsMessages);

    a.close();
    b.close();
    ws.close();
    await waitFor(() => Promise.resolve(hub.bookSubscriptions === 0), 15_000, 'the subscription to end');
  });

  it('gives a slow client a snapshot instead of its backlog, then ends it with RESOURCE_EXHAUSTED; a fast one keeps going', async () => {
    const metrics = streamMetrics(gw.node.metrics);
    const dropped0 = await counterValue(metrics.backlogsDropped);
    const disconnects0 = await counterValue(metrics.slowDisconnects);
    const proxy = new StallingProxy({ host: gw.node.grpc?.host ?? '', port: gw.node.grpc?.port ?? 0 });
    const fast = bookStream();
    const slow = bookStream(await proxy.listen());
    diagnostics = () =>
      ` (slow received ${slow.received.length}, fast ${fast.received.length}, clients ${gw.node.gateway?.streams.clientsOf('book/paper/BTC-USD')})`;
    await driveUntil(() => slow.received.length > 0, 'the slow client has its snapshot');
    proxy.stall();
    await driveUntil(
      async () => (await counterValue(metrics.backlogsDropped)) > dropped0,
      'the slow client loses its backlog',
    );
    // It reads again: after what the transport held, a fresh snapshot, then updates that follow it.
    proxy.flow();
    await driveUntil(
      () => slow.received.filter((m) => m.snapshot !== undefined).length >= 2,
      'a second snapshot',
    );
    checkContinuity(slow.received);
    expect(slow.error).toBeUndefined();

    proxy.stall();
    await driveUntil(
      async () => (await counterValue(metrics.slowDisconnects)) > disconnects0,
      'the slow client is disconnected',
    );
    proxy.flow();
    await waitFor(
      () => Promise.resolve(slow.error !== undefined),
      30_000,
      'the slow client to see its status',
    );
    expect(slow.error?.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(slow.error?.details).toMatch(/too slow/);

    const before = fast.received.length;
    await driveUntil(() => fast.received.length > before + 5, 'the fast client to keep receiving');
    expect(fast.error).toBeUndefined();
    checkContinuity(fast.received);
    fast.close();
    slow.close();
    proxy.close();
  }, 180_000);
});

describe('MarketDataService.StreamTrades', () => {
  it('delivers the trades of the generated order flow over gRPC and ws', async () => {
    const trades = new GrpcStream(
      '/ninja.v1.MarketDataService/StreamTrades',
      Buffer.from(
        StreamTradesRequest.encode({ instrumentId: { symbol: 'BTC-USD', venue: 'paper' } }).finish(),
      ),
      (bytes) => StreamTradesResponse.decode(bytes),
    );
    const ws = new WebSocket(gw.wsUrl, { headers: { authorization: `Bearer ${alice.token}` } });
    const wsTrades: unknown[] = [];
    ws.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
      if (frame['stream'] !== undefined) wsTrades.push(frame['stream']);
    });
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(
      JSON.stringify({
        id: 't',
        method: 'ninja.v1.MarketDataService/StreamTrades',
        params: { instrumentId: { symbol: 'BTC-USD', venue: 'paper' } },
      }),
    );
    await driveUntil(() => trades.received.length >= 3 && wsTrades.length >= 3, 'three trades each');
    const first = trades.received[0]?.trade;
    expect(first?.instrumentId).toEqual({ symbol: 'BTC-USD', venue: 'paper' });
    expect(first?.price?.value).toMatch(/^\d+\.\d{2}$/);
    expect(first?.quantity?.value).toMatch(/^\d+(\.\d+)?$/);
    expect([OrderSide.ORDER_SIDE_BUY, OrderSide.ORDER_SIDE_SELL]).toContain(first?.aggressorSide);
    expect(wsTrades[0]).toMatchObject({ trade: { instrumentId: { symbol: 'BTC-USD', venue: 'paper' } } });
    trades.close();
    ws.close();
  });
});
