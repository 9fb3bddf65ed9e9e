import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { FixedDecimal } from '../../../domain/values/index.ts';
import type { Logger } from '../../../observability/index.ts';
import { createLogger } from '../../../observability/index.ts';
import { MatchingEngine } from '../../paper/index.ts';
import type { SubmitOrder } from '../../paper/index.ts';
import { controlBody, controlText, sharedControlEndpoints } from '../control-endpoints.ts';
import { startSimServer } from '../sim-server.ts';
import type { SimApiKey } from './common/auth.ts';
import { FaultInjector } from '../faults.ts';
import { SimErrors, coinbaseFaultAnswers } from './common/errors.ts';
import { forgetEngineOrder, recordEngineEvents } from './common/order-records.ts';
import { simProduct } from './common/products.ts';
import { clientKey, uuidFrom } from './common/sim-state.ts';
import type { CoinbaseSimState } from './common/sim-state.ts';
import { coinbaseSimRouter } from './http/routes.ts';
import { FLOW_ACCOUNTS, coinbaseOrderFlow } from './order-flow.ts';
import { CoinbaseSimStreamHub, MARKET_PATH, USER_PATH } from './websocket/stream-hub.ts';

export interface CoinbaseSimulatorOptions {
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
  /** Product ids, e.g. BTC-USD (default BTC-USD, ETH-USD). */
  readonly symbols?: readonly string[];
  /** Key name (JWT `kid`/`sub`); default `organizations/sim-org/apiKeys/<random>`. */
  readonly keyName?: string;
  /** PEM (SPKI) public key to accept instead of generating a key pair; the private key then stays with you. */
  readonly publicKeyPem?: string;
  /** Generated key type when no public key is given: `ec` (ES256, the default) or `ed25519` (EdDSA). */
  readonly keyType?: 'ec' | 'ed25519';
  /** Funds deposited into the test account at start: asset → amount. */
  readonly initialBalances?: Readonly<Record<string, string>>;
  /** Resting levels per side the market maker seeds at start (0: an empty book). */
  readonly seedLevels?: number;
  readonly logger?: Logger;
  readonly pingIntervalMs?: number;
  /** Connections that do not subscribe within this time are closed (venue: 5 s). */
  readonly subscribeDeadlineMs?: number;
  readonly heartbeatIntervalMs?: number;
  /** Private REST requests per second per key (venue: 30). */
  readonly requestsPerSecond?: number;
}

/** The control API, in-process (the same operations are served at /__control/*). */
export interface CoinbaseSimControl {
  readonly engine: MatchingEngine;
  readonly faults: FaultInjector;
  /** The account behind the test key. */
  readonly accountId: string;
  deposit(asset: string, amount: string, accountId?: string): void;
  /** Places an order as another account (e.g. to cross a test order). */
  submitAs(accountId: string, order: SubmitOrder): ReturnType<MatchingEngine['submit']>;
  /** Runs `count` steps of background order flow. */
  step(count: number): number;
  /** How many orders the venue accepted for this client order id (at most one, if clients behave). */
  acceptedCount(clientOrderId: string, accountId?: string): number;
  /** Registers another key (e.g. a second account's). */
  registerKey(keyName: string, publicKey: KeyObject | string, accountId: string): void;
  dropStreams(): number;
  /** Sends raw text to every WebSocket client (malformed-payload drills). */
  injectFrame(text: string): number;
}

export interface CoinbaseSimulator {
  readonly restUrl: string;
  /** ws://127.0.0.1:<port>: the base the two endpoints hang off. */
  readonly wsUrl: string;
  readonly wsMarketUrl: string;
  readonly wsUserUrl: string;
  readonly keyName: string;
  /** PKCS#8 PEM of the generated key; undefined when a public key was given. */
  readonly privateKeyPem: string | undefined;
  readonly publicKeyPem: string;
  readonly control: CoinbaseSimControl;
  close(): Promise<void>;
}

const TEST_ACCOUNT = 'sim-test-account';
const DEFAULT_BALANCES: Readonly<Record<string, string>> = {
  USD: '1000000',
  USDC: '1000000',
  BTC: '100',
  ETH: '1000',
};

/** Starts a Coinbase Advanced Trade simulator on 127.0.0.1 backed by the paper matching engine. */
export async function startCoinbaseSimulator(options: CoinbaseSimulatorOptions): Promise<CoinbaseSimulator> {
  const logger = options.logger ?? createLogger({ level: 'warn', name: 'coinbase-sim' });
  const products = (options.symbols ?? ['BTC-USD', 'ETH-USD']).map((s) => simProduct(s.toUpperCase()));
  const faults = new FaultInjector();
  const now = (): number => Date.now() + faults.clockSkewMs;
  const engine = new MatchingEngine({
    instruments: products.map((p) => p.spec),
    makerFeeRate: FixedDecimal.parse('0.004'),
    takerFeeRate: FixedDecimal.parse('0.006'),
    clock: now,
    seed: options.seed ?? 1,
    briefRetention: { accountIds: FLOW_ACCOUNTS },
    ...(options.retainClosedOrders === undefined ? {} : { retainClosedOrders: options.retainClosedOrders }),
    // An API order's record lives as long as the engine can find the order.
    onForget: (order) => forgetEngineOrder(state, order),
    onListenerError: (error, event) =>
      logger.error({ err: error, kind: event.kind }, 'engine listener failed'),
  });
  const { privateKeyPem, publicKey } = keyPair(options);
  const keyName =
    options.keyName ?? `organizations/sim-org/apiKeys/${uuidFrom(() => engine.random.nextUint32())}`;
  const keys = new Map<string, SimApiKey>([[keyName, { keyName, publicKey, accountId: TEST_ACCOUNT }]]);
  const state: CoinbaseSimState = {
    engine,
    products: new Map(products.map((p) => [p.spec.id, p])),
    keys,
    faults,
    now,
    newUuid: () => uuidFrom(() => engine.random.nextUint32()),
    orders: new Map(),
    byClientId: new Map(),
    accepted: new Map(),
    gtdOpen: new Set(),
    killed: [],
    requestsPerSecond: options.requestsPerSecond ?? 30,
  };
  recordEngineEvents(state);
  const router = coinbaseSimRouter(state, logger);
  const hub = new CoinbaseSimStreamHub(state, logger, {
    subscribeDeadlineMs: options.subscribeDeadlineMs ?? 5000,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 1000,
  });
  const flow = coinbaseOrderFlow(engine, products, options.seed ?? 1);
  flow.seed(options.seedLevels ?? 20);
  const assets = new Set(products.flatMap((p) => [p.spec.base, p.spec.quote]));
  for (const [asset, amount] of Object.entries(options.initialBalances ?? DEFAULT_BALANCES)) {
    if (assets.has(asset)) engine.deposit(TEST_ACCOUNT, asset, FixedDecimal.parse(amount));
  }

  const control: CoinbaseSimControl = {
    engine,
    faults,
    accountId: TEST_ACCOUNT,
    deposit: (asset, amount, accountId = TEST_ACCOUNT) =>
      engine.deposit(accountId, asset, FixedDecimal.parse(amount, 'amount')),
    submitAs: (accountId, order) => engine.submit(accountId, order),
    step: (count) => flow.step(count),
    acceptedCount: (clientOrderId, accountId = TEST_ACCOUNT) =>
      state.accepted.get(clientKey(accountId, clientOrderId)) ?? 0,
    registerKey: (name, key, accountId) => {
      keys.set(name, {
        keyName: name,
        publicKey: typeof key === 'string' ? createPublicKey(key) : key,
        accountId,
      });
    },
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
      wsConnection: (socket, path) => hub.connection(socket, path),
      internalError: () => ({ status: 500, body: SimErrors.internal().body() }),
      faultAnswers: coinbaseFaultAnswers,
      control: {
        ...sharedControlEndpoints({
          engine,
          flow,
          instrumentField: 'productId',
          controlAccount: 'sim-control',
          testAccount: TEST_ACCOUNT,
          acceptedCount: (id, account) => control.acceptedCount(id, account),
          wire: (v) => v.toString(),
          defaultBookDepth: 1000,
        }),
        'POST deposit': (r) => {
          const b = controlBody(r);
          const accountId = typeof b['accountId'] === 'string' ? b['accountId'] : TEST_ACCOUNT;
          control.deposit(controlText(b, 'asset'), controlText(b, 'amount'), accountId);
          return {
            balances: engine
              .balances(accountId)
              .map((x) => ({ asset: x.asset, free: x.free.toString(), locked: x.locked.toString() })),
          };
        },
      },
    },
  });
  hub.attach(server);
  return {
    restUrl: server.httpUrl,
    wsUrl: server.wsUrl,
    wsMarketUrl: `${server.wsUrl}${MARKET_PATH}`,
    wsUserUrl: `${server.wsUrl}${USER_PATH}`,
    keyName,
    privateKeyPem,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    control,
    close: async () => {
      hub.close();
      await server.close();
    },
  };
}

function keyPair(options: CoinbaseSimulatorOptions): {
  privateKeyPem: string | undefined;
  publicKey: KeyObject;
} {
  if (options.publicKeyPem !== undefined)
    return { privateKeyPem: undefined, publicKey: createPublicKey(options.publicKeyPem) };
  const pair =
    options.keyType === 'ed25519'
      ? generateKeyPairSync('ed25519')
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: pair.publicKey,
  };
}
