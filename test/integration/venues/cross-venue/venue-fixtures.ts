import { createInstrument } from '../../../../domain/index.ts';
import type { Instrument } from '../../../../domain/index.ts';
import { FixedDecimal, Money, Price, Quantity } from '../../../../domain/values/index.ts';
import { MetricsRegistry } from '../../../../observability/index.ts';
import { BinanceUsConnector, BinanceUsCredentials } from '../../../../venues/binanceus/index.ts';
import { CoinbaseConnector, CoinbaseCredentials } from '../../../../venues/coinbase/index.ts';
import { OandaConnector, OandaCredentials } from '../../../../venues/oanda/index.ts';
import { MatchingEngine, PaperConnector } from '../../../../venues/paper/index.ts';
import { startBinanceUsSimulator } from '../../../../venues/sim/binanceus/index.ts';
import { startCoinbaseSimulator } from '../../../../venues/sim/coinbase/index.ts';
import type { FaultInjector } from '../../../../venues/sim/index.ts';
import { startOandaSimulator } from '../../../../venues/sim/oanda/index.ts';
import type { VenueConnector } from '../../../../venues/venue-connector.ts';
import { testLogger } from '../../../support/index.ts';

/** What the shared flow needs of a venue beyond the VenueConnector contract: its market and a counterparty. */
export interface VenueFixture {
  readonly connector: VenueConnector;
  /** The venue's symbol for the traded instrument (found among `connector.instruments()`). */
  readonly symbol: string;
  /** Order size, the part filled first, and prices well inside the venue's rules. */
  readonly quantity: string;
  readonly partial: string;
  readonly price: string;
  readonly lowerPrice: string;
  /** A sell the account cannot cover: the venue refuses it with `rejectReason`. */
  readonly overBalance: { readonly quantity: string; readonly price: string };
  readonly rejectReason: RegExp;
  /** A counterparty's resting SELL limit, straight into the venue's engine. */
  cross(clientOrderId: string, quantity: string, price: string): void;
  /** Network faults; absent for the paper venue, which has no network between it and us. */
  readonly network?: NetworkFaults;
  close(): Promise<void>;
}

export interface NetworkFaults {
  readonly faults: FaultInjector;
  /** The REST path that creates orders (faults are armed on it). */
  readonly orderPath: string;
  /** How many orders the venue created for one client order id. */
  acceptedCount(clientOrderId: string): number;
  /** Drops every stream connection, the private one included. */
  dropStreams(): void;
}

const COUNTERPARTY = 'cross-venue-counterparty';

function sell(clientOrderId: string, instrumentId: string, quantity: string, price: string) {
  return {
    clientOrderId,
    instrumentId,
    side: 'SELL',
    type: 'LIMIT',
    timeInForce: 'GTC',
    quantity: Quantity.parse(quantity),
    price: Price.parse(price),
  } as const;
}

/** The crypto venues' order sizes and prices (BTC-USD, tick 0.01), the same on each. */
const BTC_ORDERS = {
  quantity: '0.01',
  partial: '0.004',
  price: '29000.00',
  lowerPrice: '28000.00',
  overBalance: { quantity: '1000', price: '90000.00' },
} as const;

interface SimControl {
  readonly faults: FaultInjector;
  acceptedCount(clientOrderId: string): number;
  dropStreams(): unknown;
}

function networkOf(control: SimControl, orderPath: string): NetworkFaults {
  return {
    faults: control.faults,
    orderPath,
    acceptedCount: (id) => control.acceptedCount(id),
    dropStreams: () => void control.dropStreams(),
  };
}

function closing(connector: VenueConnector, sim: { close(): Promise<void> }): () => Promise<void> {
  return async () => {
    await connector.close();
    await sim.close();
  };
}

function accepted(result: { accepted: boolean }, what: string): void {
  if (!result.accepted) throw new Error(`counterparty order ${what} was refused: ${JSON.stringify(result)}`);
}

export async function binanceFixture(): Promise<VenueFixture> {
  const logger = testLogger('cross-venue-binanceus');
  const sim = await startBinanceUsSimulator({ port: 0, seed: 11, logger, seedLevels: 0 });
  const connector = new BinanceUsConnector({
    config: {
      urls: { rest: sim.restUrl, ws: sim.wsUrl },
      requestTimeoutMs: 2000,
      reconnectInitialMs: 20,
      reconnectMaxMs: 200,
    },
    credentials: new BinanceUsCredentials(sim.apiKey, sim.apiSecret),
    logger,
    metrics: new MetricsRegistry(),
    symbols: ['BTCUSD'],
  });
  sim.control.deposit('BTC', '10', COUNTERPARTY);
  return {
    connector,
    symbol: 'BTCUSD',
    ...BTC_ORDERS,
    rejectReason: /insufficient balance/i,
    cross: (id, q, p) => accepted(sim.control.submitAs(COUNTERPARTY, sell(id, 'BTCUSD', q, p)), id),
    network: networkOf(sim.control, '/api/v3/order'),
    close: closing(connector, sim),
  };
}

export async function coinbaseFixture(): Promise<VenueFixture> {
  const logger = testLogger('cross-venue-coinbase');
  const sim = await startCoinbaseSimulator({ port: 0, seed: 11, logger, seedLevels: 0 });
  if (sim.privateKeyPem === undefined) throw new Error('the fixture needs a generated key');
  const connector = new CoinbaseConnector({
    config: {
      urls: { rest: sim.restUrl, wsMarket: sim.wsMarketUrl, wsUser: sim.wsUserUrl },
      requestTimeoutMs: 2000,
      reconnectInitialMs: 20,
      reconnectMaxMs: 200,
      unknownOutcomeQueryDelayMs: 20,
    },
    credentials: new CoinbaseCredentials(sim.keyName, sim.privateKeyPem),
    logger,
    metrics: new MetricsRegistry(),
  });
  sim.control.deposit('BTC', '10', COUNTERPARTY);
  return {
    connector,
    symbol: 'BTC-USD',
    ...BTC_ORDERS,
    rejectReason: /^INSUFFICIENT_FUND$/,
    cross: (id, q, p) => accepted(sim.control.submitAs(COUNTERPARTY, sell(id, 'BTC-USD', q, p)), id),
    network: networkOf(sim.control, '/api/v3/brokerage/orders'),
    close: closing(connector, sim),
  };
}

export async function oandaFixture(): Promise<VenueFixture> {
  const logger = testLogger('cross-venue-oanda');
  const sim = await startOandaSimulator({
    port: 0,
    seed: 11,
    logger,
    seedLevels: 0,
    heartbeatIntervalMs: 100,
    priceIntervalMs: 50,
  });
  const connector = new OandaConnector({
    config: {
      urls: { rest: sim.restUrl, stream: sim.streamUrl },
      heartbeatTimeoutMs: 600,
      reconnectInitialMs: 50,
      reconnectMaxMs: 400,
      requestTimeoutMs: 2000,
      unknownOutcomeQueryDelayMs: 50,
      rateLimitBackoffMs: 100,
    },
    credentials: new OandaCredentials(sim.token, sim.accountId),
    logger,
    metrics: new MetricsRegistry(),
  });
  sim.control.engine.deposit(COUNTERPARTY, 'EUR', '1000000000');
  sim.control.engine.deposit(COUNTERPARTY, 'USD', '1000000000');
  return {
    connector,
    symbol: 'EUR_USD',
    quantity: '10000',
    partial: '4000',
    price: '1.09000',
    lowerPrice: '1.08000',
    overBalance: { quantity: '50000000', price: '1.20000' },
    rejectReason: /^INSUFFICIENT_MARGIN$/,
    cross: (id, q, p) => accepted(sim.control.submitAs(COUNTERPARTY, sell(id, 'EUR_USD', q, p)), id),
    network: networkOf(sim.control, `/v3/accounts/${sim.accountId}/orders`),
    close: closing(connector, sim),
  };
}

export function paperFixture(): Promise<VenueFixture> {
  const instrument: Instrument = createInstrument({
    venue: 'paper',
    symbol: 'BTC-USD',
    baseAsset: 'BTC',
    quoteAsset: 'USD',
    tickSize: Price.parse('0.01'),
    stepSize: Quantity.parse('0.00000001'),
    minQuantity: Quantity.parse('0.00000001'),
    maxQuantity: Quantity.parse('100000'),
    minNotional: Money.parse('1', 'USD'),
  });
  const engine = new MatchingEngine({
    instruments: [instrument],
    makerFeeRate: FixedDecimal.parse('0.001'),
    takerFeeRate: FixedDecimal.parse('0.002'),
    clock: () => Date.now(),
    seed: 11,
  });
  const account = 'cross-venue-trader';
  engine.deposit(account, 'USD', '1000000');
  engine.deposit(account, 'BTC', '100');
  engine.deposit(COUNTERPARTY, 'BTC', '10');
  const connector = new PaperConnector({
    engine,
    instruments: [instrument],
    accountId: account,
    logger: testLogger('cross-venue-paper'),
  });
  return Promise.resolve({
    connector,
    symbol: 'BTC-USD',
    ...BTC_ORDERS,
    rejectReason: /insufficient/i,
    cross: (id, q, p) => accepted(engine.submit(COUNTERPARTY, sell(id, instrument.id, q, p)), id),
    close: () => connector.close(),
  });
}
