import { randomBytes } from 'node:crypto';
import { FixedDecimal } from '../../../domain/values/index.ts';
import type { Logger } from '../../../observability/index.ts';
import { createLogger } from '../../../observability/index.ts';
import { MatchingEngine } from '../../paper/index.ts';
import type { SubmitOrder } from '../../paper/index.ts';
import { FaultInjector } from '../faults.ts';
import { controlBody, controlText, sharedControlEndpoints } from '../control-endpoints.ts';
import { startSimServer } from '../sim-server.ts';
import type { SimAccountKey } from './common/auth.ts';
import { SimErrors, binanceFaultAnswers } from './common/errors.ts';
import { simSymbol, wire } from './common/instruments.ts';
import { ExpiredAtOnceOrders } from './common/expired-at-once.ts';
import { forgetOrder } from './common/sim-state.ts';
import type { BinanceSimState } from './common/sim-state.ts';
import { binanceSimRouter } from './http/routes.ts';
import { FLOW_ACCOUNTS, binanceOrderFlow } from './order-flow.ts';
import { BinanceSimStreamHub } from './websocket/stream-hub.ts';
import { balanceUpdate, executionReport } from './websocket/frames.ts';

export interface BinanceUsSimulatorOptions {
  /** 0 picks a free port. */
  readonly port: number;
  readonly seed?: number;
  /**
   * Closed orders of API clients the venue still finds (the engine's `retainClosedOrders`; default
   * 10,000, rounded up to 16,384). What the simulator keeps per order lives as long (with the
   * engine's record, several hundred bytes per order), so an in-process simulator of a long-running
   * development node may want fewer (docs/trading.md, Node memory).
   */
  readonly retainClosedOrders?: number;
  readonly symbols?: readonly string[];
  /** Test credentials; generated when absent. */
  readonly apiKey?: string;
  readonly apiSecret?: string;
  /** Funds deposited into the test account at start: asset → amount. */
  readonly initialBalances?: Readonly<Record<string, string>>;
  /** Resting levels per side the market maker seeds at start (0: an empty book). */
  readonly seedLevels?: number;
  readonly logger?: Logger;
  readonly pingIntervalMs?: number;
}

/** The control API, in-process (the same operations are served at /__control/*). */
export interface BinanceUsSimControl {
  readonly engine: MatchingEngine;
  readonly faults: FaultInjector;
  /** The account behind the test API key. */
  readonly accountId: string;
  deposit(asset: string, amount: string, accountId?: string): void;
  /** Places an order as another account (default: the market maker), e.g. to cross a test order. */
  submitAs(accountId: string, order: SubmitOrder): ReturnType<MatchingEngine['submit']>;
  /** Runs `count` steps of background order flow; returns how many changed the book. */
  step(count: number): number;
  /** How many orders the engine accepted for this client order id (at most one, if clients behave). */
  acceptedCount(clientOrderId: string, accountId?: string): number;
  dropStreams(): number;
  /** Sends raw text to every WebSocket client (malformed-payload drills). */
  injectFrame(text: string): number;
}

export interface BinanceUsSimulator {
  readonly restUrl: string;
  readonly wsUrl: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly control: BinanceUsSimControl;
  close(): Promise<void>;
}

const TEST_ACCOUNT = 'sim-test-account';
/** Orders expired at once (never in the engine) kept queryable: about the engine's short window. */
const EXPIRED_AT_ONCE_KEPT = 1_024;
const DEFAULT_BALANCES: Readonly<Record<string, string>> = {
  USD: '1000000',
  USDT: '1000000',
  BTC: '100',
  ETH: '1000',
};

/** Starts a Binance.US simulator on 127.0.0.1 backed by the paper matching engine. */
export async function startBinanceUsSimulator(
  options: BinanceUsSimulatorOptions,
): Promise<BinanceUsSimulator> {
  const logger = options.logger ?? createLogger({ level: 'warn', name: 'binanceus-sim' });
  const apiKey = options.apiKey ?? randomBytes(32).toString('hex');
  const apiSecret = options.apiSecret ?? randomBytes(32).toString('hex');
  const symbols = (options.symbols ?? ['BTCUSD', 'ETHUSD']).map((s) => simSymbol(s.toUpperCase()));
  const faults = new FaultInjector();
  const now = (): number => Date.now() + faults.clockSkewMs;
  const engine = new MatchingEngine({
    instruments: symbols.map((s) => s.spec),
    makerFeeRate: FixedDecimal.parse('0.001'),
    takerFeeRate: FixedDecimal.parse('0.001'),
    clock: now,
    seed: options.seed ?? 1,
    briefRetention: { accountIds: FLOW_ACCOUNTS },
    ...(options.retainClosedOrders === undefined ? {} : { retainClosedOrders: options.retainClosedOrders }),
    // What the simulator keeps per order lives as long as the engine can find the order.
    onForget: (order) => forgetOrder(state, order),
    onListenerError: (error, event) =>
      logger.error({ err: error, kind: event.kind }, 'engine listener failed'),
  });
  const keys = new Map<string, SimAccountKey>([
    [apiKey, { apiKey, secret: apiSecret, accountId: TEST_ACCOUNT }],
  ]);
  const state: BinanceSimState = {
    engine,
    symbols: new Map(symbols.map((s) => [s.spec.symbol, s])),
    keys,
    faults,
    now,
    orderTypes: new Map(),
    accepted: new Map(),
    cancelIds: new Map(),
    fills: new Map(),
    expiredAtOnce: new ExpiredAtOnceOrders(EXPIRED_AT_ONCE_KEPT),
    reportExpiredAtOnce: () => undefined,
    idOffsets: new Map(),
  };
  const router = binanceSimRouter(state, logger);
  const hub = new BinanceSimStreamHub(state, logger, router.listenKeys);
  state.reportExpiredAtOnce = (order, type) => {
    for (const execution of ['NEW', 'EXPIRED'] as const) {
      const status = execution === 'NEW' ? 'NEW' : 'EXPIRED';
      hub.sendUser(
        order.accountId,
        executionReport(
          {
            kind: 'order',
            sequence: 0n,
            time: order.updatedAt,
            accountId: order.accountId,
            order: { ...order, status },
            execution,
          },
          { type, cancelClientId: undefined },
        ),
      );
    }
  };
  const flow = binanceOrderFlow(engine, symbols, options.seed ?? 1);
  flow.seed(options.seedLevels ?? 20);
  const assets = new Set(symbols.flatMap((s) => [s.spec.base, s.spec.quote]));
  for (const [asset, amount] of Object.entries(options.initialBalances ?? DEFAULT_BALANCES)) {
    if (assets.has(asset)) engine.deposit(TEST_ACCOUNT, asset, FixedDecimal.parse(amount));
  }

  const deposit = (asset: string, amount: string, accountId = TEST_ACCOUNT): void => {
    const value = FixedDecimal.parse(amount, 'amount');
    engine.deposit(accountId, asset, value);
    hub.sendUser(accountId, balanceUpdate(now(), asset, value));
  };
  const control: BinanceUsSimControl = {
    engine,
    faults,
    accountId: TEST_ACCOUNT,
    deposit,
    submitAs: (accountId, order) => engine.submit(accountId, order),
    step: (count) => flow.step(count),
    acceptedCount: (clientOrderId, accountId = TEST_ACCOUNT) =>
      state.accepted.get(`${accountId}|${clientOrderId}`) ?? 0,
    dropStreams: () => server.dropConnections(),
    injectFrame: (frame) => server.injectFrame(frame),
  };

  const server = await startSimServer({
    port: options.port,
    logger,
    faults,
    ...(options.pingIntervalMs !== undefined ? { pingIntervalMs: options.pingIntervalMs } : {}),
    venue: {
      http: (request) => router.handle(request),
      wsConnection: (socket, path, rawQuery) => hub.connection(socket, path, rawQuery),
      internalError: () => ({ status: 500, body: SimErrors.internal().body() }),
      faultAnswers: binanceFaultAnswers,
      control: {
        ...sharedControlEndpoints({
          engine,
          flow,
          instrumentField: 'symbol',
          controlAccount: 'sim-control',
          testAccount: TEST_ACCOUNT,
          acceptedCount: (id, account) => control.acceptedCount(id, account),
          wire,
          defaultBookDepth: 1000,
        }),
        'POST deposit': (r) => {
          const b = controlBody(r);
          const accountId = typeof b['accountId'] === 'string' ? b['accountId'] : TEST_ACCOUNT;
          deposit(controlText(b, 'asset'), controlText(b, 'amount'), accountId);
          return { balances: balancesOf(engine, accountId) };
        },
      },
    },
  });
  hub.attach(server);
  return {
    restUrl: server.httpUrl,
    wsUrl: server.wsUrl,
    apiKey,
    apiSecret,
    control,
    close: () => {
      hub.close();
      return server.close();
    },
  };
}

function balancesOf(engine: MatchingEngine, accountId: string): Array<Record<string, string>> {
  return engine
    .balances(accountId)
    .map((b) => ({ asset: b.asset, free: wire(b.free), locked: wire(b.locked) }));
}
