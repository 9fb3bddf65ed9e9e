import { randomBytes } from 'node:crypto';
import { FixedDecimal } from '../../../domain/values/index.ts';
import type { Logger } from '../../../observability/index.ts';
import { createLogger } from '../../../observability/index.ts';
import { MatchingEngine } from '../../paper/index.ts';
import type { SubmitOrder } from '../../paper/index.ts';
import { FaultInjector } from '../faults.ts';
import { controlBody, controlText, sharedControlEndpoints } from '../control-endpoints.ts';
import { MarginAccount } from './account.ts';
import { simInstrument } from './common/instruments.ts';
import type { OandaSimState } from './common/sim-state.ts';
import { TRANSACTIONS_KEPT, TransactionLog } from './common/transaction-log.ts';
import { OandaSimRouter } from './http/routes.ts';
import { startOandaSimServer } from './http/server.ts';
import { FLOW_ACCOUNTS, oandaOrderFlow } from './order-flow.ts';
import { CLOSED_ORDERS_KEPT, SimOrders } from './sim-orders.ts';
import { OandaSimStreamHub } from './streaming/stream-hub.ts';
import type { StreamKind } from './streaming/stream-hub.ts';

export interface OandaSimulatorOptions {
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
  /**
   * Transactions kept for `transactions/sinceid` (default 10,000; the real venue keeps all). A
   * connector reads them to resume its transaction stream after a reconnect and to rebuild an order
   * it does not track from its creation on, so the window must cover the longest reconnect gap and
   * the oldest order still asked about; a reader further behind gets a 400 that says so.
   */
  readonly retainTransactions?: number;
  /** OANDA names, e.g. EUR_USD, USD_JPY. */
  readonly symbols?: readonly string[];
  /** Test credentials; generated when absent. */
  readonly token?: string;
  readonly accountId?: string;
  /** Home-currency balance at start (default 100000 USD). */
  readonly initialBalance?: string;
  readonly currency?: string;
  /** Resting levels per side the liquidity provider seeds at start (0: empty books). */
  readonly seedLevels?: number;
  readonly logger?: Logger;
  /** Heartbeat period on both streams; OANDA's is 5000 ms. */
  readonly heartbeatIntervalMs?: number;
  /** Pricing window; OANDA's is 250 ms. */
  readonly priceIntervalMs?: number;
}

/** The control API, in-process (the same operations are served at /__control/*). */
export interface OandaSimControl {
  readonly engine: MatchingEngine;
  readonly faults: FaultInjector;
  readonly accountId: string;
  /** Places an order as another engine account (default: the liquidity provider), e.g. to cross a test order. */
  submitAs(accountId: string, order: SubmitOrder): ReturnType<MatchingEngine['submit']>;
  /** Runs `count` steps of background order flow. */
  step(count: number): number;
  /** How many orders were created for this client order id (at most one, if clients behave). */
  acceptedCount(clientOrderId: string): number;
  /** Halts or resumes an instrument (market orders are then cancelled with MARKET_HALTED). */
  halt(instrument: string, halted: boolean): void;
  dropStreams(): number;
  /** Writes raw text as one line to every stream (malformed-payload drills). */
  injectLine(text: string, stream?: StreamKind): number;
  readonly lastTransactionId: string;
}

export interface OandaSimulator {
  /** Both the REST and the streaming base URL (one server serves both hosts). */
  readonly restUrl: string;
  readonly streamUrl: string;
  readonly token: string;
  readonly accountId: string;
  readonly control: OandaSimControl;
  close(): Promise<void>;
}

const ENGINE_FUNDING = FixedDecimal.parse('1000000000000');

/** Starts an OANDA v20 simulator on 127.0.0.1 backed by the paper matching engine. */
export async function startOandaSimulator(options: OandaSimulatorOptions): Promise<OandaSimulator> {
  const logger = options.logger ?? createLogger({ level: 'warn', name: 'oanda-sim' });
  const seed = options.seed ?? 1;
  const token = options.token ?? `${randomBytes(16).toString('hex')}-${randomBytes(16).toString('hex')}`;
  const accountId = options.accountId ?? `101-001-${String(1_000_000 + (seed % 9_000_000))}-001`;
  const instruments = (options.symbols ?? ['EUR_USD', 'USD_JPY']).map((s) => simInstrument(s.toUpperCase()));
  const byName = new Map(instruments.map((i) => [i.name, i]));
  const faults = new FaultInjector();
  const now = (): number => Date.now() + faults.clockSkewMs;
  const engine = new MatchingEngine({
    instruments: instruments.map((i) => i.spec),
    makerFeeRate: FixedDecimal.zero(),
    takerFeeRate: FixedDecimal.zero(),
    clock: now,
    seed,
    briefRetention: { accountIds: FLOW_ACCOUNTS },
    ...(options.retainClosedOrders === undefined ? {} : { retainClosedOrders: options.retainClosedOrders }),
    onListenerError: (error, event) =>
      logger.error({ err: error, kind: event.kind }, 'engine listener failed'),
  });
  // The engine checks spot balances; the OANDA account is margin-based (MarginAccount decides).
  for (const asset of new Set(instruments.flatMap((i) => [i.base, i.quote])))
    engine.deposit(accountId, asset, ENGINE_FUNDING);
  const state: OandaSimState = {
    engine,
    instruments: byName,
    token,
    accountId,
    account: new MarginAccount({
      currency: options.currency ?? 'USD',
      balance: FixedDecimal.parse(options.initialBalance ?? '100000'),
      instruments: byName,
      engine,
      logger,
    }),
    log: new TransactionLog(
      { accountID: accountId, userID: 1, requestID: '0' },
      options.retainTransactions ?? TRANSACTIONS_KEPT,
    ),
    faults,
    halted: new Set(),
    accepted: new Map(),
    now,
  };
  // The simulator's own records of closed orders live exactly as long as the engine's window.
  const orders = new SimOrders(state, logger, options.retainClosedOrders ?? CLOSED_ORDERS_KEPT);
  const router = new OandaSimRouter(state, orders, logger);
  const hub = new OandaSimStreamHub(state, logger, {
    priceIntervalMs: options.priceIntervalMs ?? 250,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 5000,
  });
  const flow = oandaOrderFlow(engine, instruments, seed);
  flow.seed(options.seedLevels ?? 20);
  const expiry = setInterval(() => orders.expire(now()), 100);
  expiry.unref();

  const control: OandaSimControl = {
    engine,
    faults,
    accountId,
    submitAs: (account, order) => engine.submit(account, order),
    step: (count) => flow.step(count),
    acceptedCount: (clientOrderId) => state.accepted.get(clientOrderId) ?? 0,
    halt: (instrument, halted) =>
      void (halted ? state.halted.add(instrument) : state.halted.delete(instrument)),
    dropStreams: () => hub.dropStreams(),
    injectLine: (text, stream) => hub.injectLine(text, stream),
    get lastTransactionId() {
      return state.log.lastId;
    },
  };
  const server = await startOandaSimServer({
    port: options.port,
    logger,
    faults,
    router,
    hub,
    control: {
      ...sharedControlEndpoints({
        engine,
        flow,
        instrumentField: 'instrument',
        controlAccount: 'oanda-sim-control',
        testAccount: accountId,
        acceptedCount: (clientOrderId) => control.acceptedCount(clientOrderId),
        wire: (v) => v.toString(),
        defaultBookDepth: 10,
      }),
      'POST halt': (r) => {
        const b = controlBody(r);
        control.halt(controlText(b, 'instrument'), b['halted'] !== false);
        return { halted: [...state.halted] };
      },
    },
  });
  return {
    restUrl: server.url,
    streamUrl: server.url,
    token,
    accountId,
    control,
    close: async () => {
      clearInterval(expiry);
      await server.close();
    },
  };
}
