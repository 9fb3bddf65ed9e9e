import { VenueConnectors } from '../actors/venue/index.ts';
import type { VenueConnectorFactory } from '../actors/venue/index.ts';
import { formatInstrumentId } from '../domain/index.ts';
import type { InstrumentId } from '../domain/index.ts';
import type { VenueConnector } from '../venues/venue-connector.ts';
import type { Logger, MetricsRegistry } from '../observability/index.ts';
import { BinanceUsConnector, BinanceUsCredentials } from '../venues/binanceus/index.ts';
import { CoinbaseConnector, CoinbaseCredentials } from '../venues/coinbase/index.ts';
import { OandaConnector, OandaCredentials } from '../venues/oanda/index.ts';
import { startBinanceUsSimulator } from '../venues/sim/binanceus/index.ts';
import { startCoinbaseSimulator } from '../venues/sim/coinbase/index.ts';
import { startOandaSimulator } from '../venues/sim/oanda/index.ts';
import { PAPER_FEES, PAPER_MARKETS, createPaperVenue } from './paper-venue.ts';
import type { PaperMarket } from './paper-venue.ts';

/** One market of a development node: where it trades, what it is, and its taker fee rate. */
export interface DevMarket {
  readonly venue: string;
  readonly symbol: string;
  readonly instrumentId: InstrumentId;
  /** The traded asset, e.g. BTC (the same asset on several venues is an arbitrage candidate). */
  readonly base: string;
  readonly quote: string;
  /** The venue's taker fee rate as decimal text (the simulators' engines charge it). */
  readonly takerFee: string;
  /** `book/<venue>/<symbol>`. */
  readonly book: string;
}

/** The venues of a development node: simulators on loopback plus the paper venue. */
export interface DevelopmentVenues {
  readonly connectors: VenueConnectors;
  readonly markets: readonly DevMarket[];
  /** Lines saying where each simulator listens (credentials stay in the process). */
  readonly endpoints: readonly string[];
  /** Stops the generated order flow and the simulators; safe to call more than once. */
  close(): Promise<void>;
}

export interface DevelopmentVenuesOptions {
  readonly logger: Logger;
  readonly metrics: MetricsRegistry;
  /** Seed of every simulator's and the paper venue's generated order flow. Default 1. */
  readonly seed?: number;
  /** Generated order-flow actions per simulator per tick (every 200 ms). Default 3. */
  readonly flowPerTick?: number;
}

const FLOW_TICK_MS = 200;
/*
 * Retention windows of the in-process simulators and the paper venue: development settings, sized
 * (but for the engines' slot rings, below) so that each is full within about two minutes of the
 * demo's trading (the node's memory then levels off within the node-memory bench's warm-up;
 * docs/trading.md, Node memory, session 11) rather than after hours. The demo places about 50 orders a minute on Binance.US, 40 on Coinbase,
 * 15 on OANDA and 90 on the paper venue.
 *
 * What still asks a venue about a closed order: a cancel racing the order's end (milliseconds), and
 * reconciliation of an order whose end the order manager has not seen (after a stream reconnect;
 * in-process venues have no network to lose). The order manager asks only about orders it has not
 * seen finish; a development node has a database, so its fill replay reads the journal, not the
 * venue. An order the venue has forgotten while the manager still thinks it open would be logged
 * as an anomaly on every reconciliation pass.
 */
/**
 * Closed API orders the Binance.US and Coinbase simulators still find, and what they keep per order
 * with them: the last 256 closed, ≈ 5 minutes of the demo's orders on either (50 and 40 a minute),
 * ten reconciliation passes (every 30 s) and far more than a connector needs to read back an order
 * whose placement outcome it did not learn. Until session 12 the engines kept closed orders in a ring
 * indexed by order id, which forgot one when any later order on its slot closed (a Coinbase IOC leg
 * was NOT_FOUND 21 ms after it closed with 128 slots), so this was 4,096 and never full in a
 * 10-minute run; the engines now keep exactly the last `retainClosedOrders` closed orders.
 */
const SIM_RETAIN_CLOSED_ORDERS = 256;
/** The OANDA simulator keeps exactly the newest this many closed orders: ≈ 2 minutes of the demo's. */
const SIM_OANDA_RETAIN_CLOSED_ORDERS = 32;
/**
 * Transactions the OANDA simulator keeps for `transactions/sinceid` (≈ 3 minutes of the demo
 * account's): the connector resumes its stream from them after a reconnect, and rebuilds from them
 * an order it no longer tracks (finished over 2 minutes ago) when asked about it.
 */
const SIM_OANDA_RETAIN_TRANSACTIONS = 128;
/** The paper venue's window of the desk's closed orders: the last 256, ≈ 3 minutes of the demo's 90 a minute. */
const PAPER_RETAIN_CLOSED_ORDERS = 256;
/** Closed paper orders whose fills the paper connector keeps (the demo's ≈ 15 a minute with fills: ≈ 4 minutes). */
const PAPER_RETAIN_FILLS_OF_ORDERS = 64;

/** Simulator fee rates (their engines' taker rates, see venues/sim/<venue>/simulator.ts). */
const SIM_TAKER_FEES = { binanceus: '0.001', coinbase: '0.006', oanda: '0' } as const;

/**
 * The development paper venue's markets: the default three and two assets listed nowhere else, so
 * that the demo trades ten markets (the load the node-memory target is stated for, docs/trading.md).
 */
const DEV_PAPER_MARKETS: readonly PaperMarket[] = [
  ...PAPER_MARKETS,
  {
    symbol: 'SOL-USD',
    base: 'SOL',
    quote: 'USD',
    tick: '0.01',
    step: '0.01',
    mid: '150.00',
    deskFunds: '10000',
  },
  {
    symbol: 'LTC-USD',
    base: 'LTC',
    quote: 'USD',
    tick: '0.01',
    step: '0.001',
    mid: '80.00',
    deskFunds: '10000',
  },
];

function market(venue: string, symbol: string, base: string, quote: string, takerFee: string): DevMarket {
  return {
    venue,
    symbol,
    instrumentId: formatInstrumentId(symbol, venue),
    base,
    quote,
    takerFee,
    book: `book/${venue}/${symbol}`,
  };
}

/**
 * Development only: starts the Binance.US (BTCUSD, ETHUSD), Coinbase (BTC-USD, ETH-USD) and OANDA
 * (EUR_USD) simulators on free loopback ports with seeded, continuously generated order flow, and
 * the paper venue (BTC-USD, ETH-USD, EUR-USD, SOL-USD, LTC-USD): ten markets. Returns real
 * connectors to all four, using the test credentials the simulators generated. Production never calls this.
 */
export async function startDevelopmentVenues(options: DevelopmentVenuesOptions): Promise<DevelopmentVenues> {
  const seed = options.seed ?? 1;
  const perTick = options.flowPerTick ?? 3;
  const { metrics } = options;
  const simLogger = options.logger.child({ component: 'simulator' });
  const closers: (() => Promise<void>)[] = [];
  const steppers: ((count: number) => number)[] = [];
  const factories: Record<string, VenueConnectorFactory> = {};
  // The newest connector per venue (the venue actor closes older ones when it reconnects): closed
  // before the simulators, so none of them talks to a simulator that is already gone.
  const newest = new Map<string, VenueConnector>();
  const tracked =
    (venue: string, make: () => VenueConnector): VenueConnectorFactory =>
    () => {
      const connector = make();
      newest.set(venue, connector);
      return connector;
    };
  const endpoints: string[] = [];
  try {
    const binance = await startBinanceUsSimulator({
      port: 0,
      seed,
      symbols: ['BTCUSD', 'ETHUSD'],
      logger: simLogger.child({ venue: 'binanceus' }),
      retainClosedOrders: SIM_RETAIN_CLOSED_ORDERS,
    });
    closers.push(() => binance.close());
    steppers.push((count) => binance.control.step(count));
    endpoints.push(`binanceus  ${binance.restUrl}`);
    factories['binanceus'] = tracked(
      'binanceus',
      () =>
        new BinanceUsConnector({
          config: { urls: { rest: binance.restUrl, ws: binance.wsUrl } },
          credentials: new BinanceUsCredentials(binance.apiKey, binance.apiSecret),
          logger: options.logger.child({ venue: 'binanceus' }),
          metrics,
          symbols: ['BTCUSD', 'ETHUSD'],
        }),
    );

    const coinbase = await startCoinbaseSimulator({
      port: 0,
      seed,
      symbols: ['BTC-USD', 'ETH-USD'],
      logger: simLogger.child({ venue: 'coinbase' }),
      retainClosedOrders: SIM_RETAIN_CLOSED_ORDERS,
    });
    closers.push(() => coinbase.close());
    steppers.push((count) => coinbase.control.step(count));
    endpoints.push(`coinbase   ${coinbase.restUrl}`);
    const coinbaseKey = coinbase.privateKeyPem;
    if (coinbaseKey === undefined) throw new Error('the Coinbase simulator did not generate a key pair');
    factories['coinbase'] = tracked(
      'coinbase',
      () =>
        new CoinbaseConnector({
          config: {
            urls: { rest: coinbase.restUrl, wsMarket: coinbase.wsMarketUrl, wsUser: coinbase.wsUserUrl },
          },
          credentials: new CoinbaseCredentials(coinbase.keyName, coinbaseKey),
          logger: options.logger.child({ venue: 'coinbase' }),
          metrics,
          products: ['BTC-USD', 'ETH-USD'],
        }),
    );

    const oanda = await startOandaSimulator({
      port: 0,
      seed,
      symbols: ['EUR_USD'],
      logger: simLogger.child({ venue: 'oanda' }),
      retainClosedOrders: SIM_OANDA_RETAIN_CLOSED_ORDERS,
      retainTransactions: SIM_OANDA_RETAIN_TRANSACTIONS,
    });
    closers.push(() => oanda.close());
    steppers.push((count) => oanda.control.step(count));
    endpoints.push(`oanda      ${oanda.restUrl}`);
    factories['oanda'] = tracked(
      'oanda',
      () =>
        new OandaConnector({
          config: { urls: { rest: oanda.restUrl, stream: oanda.streamUrl } },
          credentials: new OandaCredentials(oanda.token, oanda.accountId),
          logger: options.logger.child({ venue: 'oanda' }),
          metrics,
        }),
    );
  } catch (error) {
    await Promise.allSettled(closers.map((close) => close()));
    throw error;
  }
  factories['paper'] = tracked(
    'paper',
    createPaperVenue({
      logger: options.logger,
      metrics,
      seed,
      markets: DEV_PAPER_MARKETS,
      retainClosedOrders: PAPER_RETAIN_CLOSED_ORDERS,
      retainFillsOfOrders: PAPER_RETAIN_FILLS_OF_ORDERS,
    }).connector,
  );

  const flowErrors = metrics.counter({
    name: 'ninja_dev_sim_flow_errors_total',
    help: 'Generated order-flow steps of the development simulators that threw',
  });
  const flow = setInterval(() => {
    for (const step of steppers) {
      try {
        step(perTick);
      } catch (error) {
        flowErrors.inc();
        options.logger.error({ err: error }, 'simulator order flow step failed');
      }
    }
  }, FLOW_TICK_MS);
  flow.unref();

  let closing: Promise<void> | undefined;
  return {
    connectors: new VenueConnectors(factories),
    markets: [
      market('binanceus', 'BTCUSD', 'BTC', 'USD', SIM_TAKER_FEES.binanceus),
      market('binanceus', 'ETHUSD', 'ETH', 'USD', SIM_TAKER_FEES.binanceus),
      market('coinbase', 'BTC-USD', 'BTC', 'USD', SIM_TAKER_FEES.coinbase),
      market('coinbase', 'ETH-USD', 'ETH', 'USD', SIM_TAKER_FEES.coinbase),
      market('oanda', 'EUR_USD', 'EUR', 'USD', SIM_TAKER_FEES.oanda),
      ...DEV_PAPER_MARKETS.map((m) => market('paper', m.symbol, m.base, m.quote, PAPER_FEES.taker)),
    ],
    endpoints,
    close: () => {
      closing ??= (async () => {
        clearInterval(flow);
        await Promise.allSettled([...newest.values()].map((connector) => connector.close()));
        const results = await Promise.allSettled(closers.map((close) => close()));
        for (const result of results) {
          if (result.status === 'rejected') {
            options.logger.warn({ err: result.reason as unknown }, 'a simulator did not close cleanly');
          }
        }
      })();
      return closing;
    },
  };
}
