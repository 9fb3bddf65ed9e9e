import { afterEach, describe, expect, it } from 'vitest';
import { UnavailableError } from '../../domain/errors.ts';
import {
  OrderSide,
  OrderStatus,
  OrderType,
  TimeInForce,
  createInstrument,
  newOrderId,
  parseAccountId,
  parseClientOrderId,
  parseInstrumentId,
  parseVenueId,
  parseVenueOrderId,
} from '../../domain/index.ts';
import type { Instrument, OrderRequest } from '../../domain/index.ts';
import { Money, Price, Quantity } from '../../domain/values/index.ts';
import { MetricsRegistry, createLogger } from '../../observability/index.ts';
import type {
  MarketDataEvent,
  PlacementResult,
  VenueConnector,
  VenueOrderSnapshot,
} from '../../venues/venue-connector.ts';
import { createActorSystem } from '../kernel/index.ts';
import type { ActorRef, ActorSystem } from '../kernel/index.ts';
import { venueActor } from './venue-actor.ts';
import type { VenueActor } from './venue-actor.ts';
import { VenueConnectors } from './venue-connectors.ts';
import type { MarketDataMessage, VenueCommand, VenueStatus } from './venue-messages.ts';
import { fromVenueInstrumentsWire } from './instrument-wire.ts';
import type { VenueInstrumentsWire } from './instrument-wire.ts';
import type { PlacementWire } from './venue-wire.ts';
import { toOrderRequestWire } from './venue-wire.ts';

const BTC = parseInstrumentId('BTC-USD.TESTVENUE');
const BTC_INSTRUMENT = createInstrument({
  venue: 'testvenue',
  symbol: 'BTC-USD',
  baseAsset: 'BTC',
  quoteAsset: 'USD',
  tickSize: Price.parse('0.01'),
  stepSize: Quantity.parse('0.0001'),
  minQuantity: Quantity.parse('0.0001'),
  maxQuantity: Quantity.parse('1000'),
  minNotional: Money.parse('10', 'USD'),
});
let systems = 0;

/** A connector whose behaviour each test scripts. */
class FakeConnector implements VenueConnector {
  readonly venue = parseVenueId('testvenue');
  readonly capabilities = {
    orderTypes: [OrderType.LIMIT, OrderType.MARKET],
    timeInForce: [TimeInForce.GTC],
    postOnly: true,
    reduceOnly: false,
  };
  placeCalls = 0;
  closed = false;
  placeOutcome: () => Promise<PlacementResult> = () => Promise.reject(new Error('not scripted'));
  marketDataListener: ((event: MarketDataEvent) => void) | undefined;
  constructor(private readonly startOutcome: () => Promise<void>) {}
  start(): Promise<void> {
    return this.startOutcome();
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
  instruments(): readonly Instrument[] {
    return [BTC_INSTRUMENT];
  }
  placeOrder(): Promise<PlacementResult> {
    this.placeCalls += 1;
    return this.placeOutcome();
  }
  cancelOrder(): Promise<VenueOrderSnapshot> {
    return Promise.reject(new Error('unused'));
  }
  getOrder(): Promise<VenueOrderSnapshot | undefined> {
    return Promise.resolve(undefined);
  }
  openOrders(): Promise<readonly VenueOrderSnapshot[]> {
    return Promise.resolve([]);
  }
  orderFills(): Promise<readonly never[]> {
    return Promise.resolve([]);
  }
  balances(): Promise<readonly never[]> {
    return Promise.resolve([]);
  }
  bookSnapshot(): Promise<never> {
    return Promise.reject(new Error('unused'));
  }
  onExecution(): () => void {
    return () => undefined;
  }
  subscribeMarketData(_id: unknown, listener: (event: MarketDataEvent) => void): () => void {
    this.marketDataListener = listener;
    listener({ kind: 'stale', instrumentId: BTC, reason: 'warming up' });
    return () => {
      this.marketDataListener = undefined;
    };
  }
}

const request: OrderRequest = {
  id: newOrderId(),
  clientOrderId: parseClientOrderId('fake-1'),
  accountId: parseAccountId('0b6f3c9e-5d1a-4f7e-9c2b-8a4d6e1f3a5b'),
  instrumentId: BTC,
  side: OrderSide.BUY,
  type: OrderType.LIMIT,
  timeInForce: TimeInForce.GTC,
  quantity: Quantity.parse('1'),
  price: Price.parse('100'),
  createdAt: 0,
};
const accepted: PlacementResult = {
  kind: 'accepted',
  order: {
    instrumentId: BTC,
    clientOrderId: request.clientOrderId,
    venueOrderId: parseVenueOrderId('77'),
    side: OrderSide.BUY,
    type: OrderType.LIMIT,
    status: OrderStatus.ACKNOWLEDGED,
    quantity: Quantity.parse('1'),
    filledQuantity: Quantity.parse('0'),
    price: Price.parse('100'),
    updatedAt: 1,
  },
  fills: [],
};

describe('venue actor', () => {
  let system: ActorSystem;
  let actor: VenueActor;
  let ref: ActorRef<VenueCommand>;
  const created: FakeConnector[] = [];
  const sent: { identity: string; message: unknown }[] = [];

  function start(starts: (attempt: number) => Promise<void>, unreachable?: string): void {
    systems += 1;
    system = createActorSystem({
      name: `venue-test-${systems}`,
      logger: createLogger({ level: 'silent' }),
      metrics: new MetricsRegistry(),
    });
    actor = venueActor({
      connectors: new VenueConnectors({
        testvenue: () => {
          const connector = new FakeConnector(() => starts(created.length));
          created.push(connector);
          return connector;
        },
      }),
      send: (identity, message) => {
        if (identity === unreachable) throw new UnavailableError('nobody hosts it');
        sent.push({ identity, message });
      },
      metrics: new MetricsRegistry(),
      circuit: { failureThreshold: 2, halfOpenAfterMs: 100 },
      reconnect: { initialDelayMs: 5, maxDelayMs: 20 },
    });
    ref = system.spawn(actor.definition, 'testvenue');
    system.send(ref, { type: 'venue-start' });
  }

  afterEach(async () => {
    await actor.release(ref.identity);
    await system.shutdown();
    created.length = 0;
    sent.length = 0;
  });

  const status = (): Promise<VenueStatus> =>
    system.request<VenueStatus, VenueCommand>(ref, (replyTo) => ({ type: 'venue-status', replyTo }), {
      timeoutMs: 1000,
    });
  const place = (): Promise<PlacementWire> =>
    system.request<PlacementWire, VenueCommand>(
      ref,
      (replyTo) => ({ type: 'place-order', request: toOrderRequestWire(request), replyTo }),
      { timeoutMs: 1000 },
    );
  const until = async (check: () => Promise<boolean>): Promise<void> => {
    for (let i = 0; i < 200 && !(await check()); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await check()).toBe(true);
  };

  it('reconnects with backoff until a connector starts, closing each failed one', async () => {
    start((attempt) => (attempt < 3 ? Promise.reject(new UnavailableError('down')) : Promise.resolve()));
    await until(async () => (await status()).connection === 'connected');
    expect((await status()).connectAttempts).toBe(3);
    expect(created.map((c) => c.closed)).toEqual([true, true, false]);
    await actor.release(ref.identity);
    expect(created[2]?.closed).toBe(true);
  });

  it('answers UNAVAILABLE while connecting, then forwards placements', async () => {
    let open: () => void = () => undefined;
    start(() => new Promise((resolve) => (open = resolve)));
    await expect(place()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    open();
    await until(async () => (await status()).connection === 'connected');
    const connector = created[0] as FakeConnector;
    connector.placeOutcome = () => Promise.resolve(accepted);
    expect(await place()).toMatchObject({ kind: 'accepted', order: { venueOrderId: '77', price: '100' } });
  });

  it('opens the circuit after repeated outages, fails fast, and closes after a good trial', async () => {
    start(() => Promise.resolve());
    await until(async () => (await status()).connection === 'connected');
    const connector = created[0] as FakeConnector;
    connector.placeOutcome = () => Promise.reject(new UnavailableError('venue 503'));
    await expect(place()).rejects.toThrow(/503/);
    await expect(place()).rejects.toThrow(/503/);
    expect((await status()).circuit).toBe('open');
    await expect(place()).rejects.toThrow(/circuit open/);
    expect(connector.placeCalls).toBe(2);
    connector.placeOutcome = () => Promise.resolve(accepted);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await place()).toMatchObject({ kind: 'accepted' });
    expect((await status()).circuit).toBe('closed');
  });

  it('forwards market data to subscribers in wire form and drops one that cannot be reached', async () => {
    start(() => Promise.resolve(), 'book/gone/BTC-USD');
    await until(async () => (await status()).connection === 'connected');
    system.send(ref, {
      type: 'subscribe-market-data',
      instrumentId: BTC,
      subscriber: 'book/testvenue/BTC-USD',
    });
    await until(() => Promise.resolve(sent.length > 0));
    expect(sent[0]).toEqual({
      identity: 'book/testvenue/BTC-USD',
      message: {
        type: 'market-data',
        venue: 'testvenue',
        event: { kind: 'stale', instrumentId: BTC, reason: 'warming up' },
      } satisfies MarketDataMessage,
    });
    system.send(ref, { type: 'subscribe-market-data', instrumentId: BTC, subscriber: 'book/gone/BTC-USD' });
    await until(async () => (await status()).marketDataSubscribers === 1);
  });

  it('answers its instruments and capabilities in wire form once connected', async () => {
    let open: () => void = () => undefined;
    start(() => new Promise((resolve) => (open = resolve)));
    const instruments = (): Promise<VenueInstrumentsWire> =>
      system.request<VenueInstrumentsWire, VenueCommand>(
        ref,
        (replyTo) => ({ type: 'venue-instruments', replyTo }),
        { timeoutMs: 1000 },
      );
    await expect(instruments()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    open();
    await until(async () => (await status()).connection === 'connected');
    const wire = await instruments();
    expect(wire).toEqual({
      venue: 'testvenue',
      instruments: [
        {
          id: BTC,
          symbol: 'BTC-USD',
          venue: 'testvenue',
          baseAsset: 'BTC',
          quoteAsset: 'USD',
          tickSize: '0.01',
          stepSize: '0.0001',
          minQuantity: '0.0001',
          maxQuantity: '1000',
          minNotional: '10',
        },
      ],
      capabilities: {
        orderTypes: ['LIMIT', 'MARKET'],
        timeInForce: ['GTC'],
        postOnly: true,
        reduceOnly: false,
      },
    });
    const back = fromVenueInstrumentsWire(JSON.parse(JSON.stringify(wire)));
    expect(back.instruments[0]?.tickSize.toString()).toBe('0.01');
    expect(back.capabilities.orderTypes).toEqual(['LIMIT', 'MARKET']);
  });
});
