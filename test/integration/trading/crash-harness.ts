// The crash tests' pieces: a Binance.US simulator in the test process (it outlives every kill), a
// real `gekko node start` process hosting orders, risk, portfolio and the venue (killed with
// SIGKILL and started again on the same database), a driver cluster node in the test process that
// trades through it, and the check of our orders against the simulator's own state.
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { venueClientOrderId } from '../../../actors/orders/venue-client-ids.ts';
import { inject } from 'vitest';
import { ClusterNode, loadOrCreateCa, loadOrCreateClusterTls } from '../../../cluster/index.ts';
import { FixedDecimal, parseAccountId, parseClientOrderId } from '../../../domain/index.ts';
import type { Order } from '../../../domain/index.ts';
import { registerTrading } from '../../../nodes/trading.ts';
import type { Trading } from '../../../nodes/trading.ts';
import { MetricsRegistry } from '../../../observability/index.ts';
import { startBinanceUsSimulator } from '../../../venues/sim/binanceus/index.ts';
import type { BinanceUsSimulator } from '../../../venues/sim/binanceus/index.ts';
import type { PaperOrder } from '../../../venues/paper/index.ts';
import { MigrationRunner } from '../../../persistence/index.ts';
import { createTestDatabase, testLogger } from '../../support/index.ts';
import type { TestDatabase } from '../../support/index.ts';
import { tempDir, uniqueClusterName } from '../cluster-node/cluster-node-harness.ts';
import { CRASH_VENUE_ENV } from './crash-node-venues.ts';

const GEKKO = fileURLToPath(new URL('../../../cli/bin/gekko.js', import.meta.url));
const VENUE_KINDS = fileURLToPath(new URL('./crash-node-venues.ts', import.meta.url));

export const SYMBOL = 'BTCUSD';
export const INSTRUMENT = 'BTCUSD.BINANCEUS';
/** The simulator account trading against ours (the test's counterparty). */
export const COUNTERPARTY = 'crash-counterparty';

/** The venue of the crash tests: an empty BTCUSD book, so every trade is one the test made. */
export async function startCrashVenue(seed: number): Promise<BinanceUsSimulator> {
  const sim = await startBinanceUsSimulator({
    port: 0,
    seed,
    symbols: [SYMBOL],
    seedLevels: 0,
    logger: testLogger('binanceus-sim'),
  });
  sim.control.deposit('USD', '100000000', COUNTERPARTY);
  sim.control.deposit('BTC', '10000', COUNTERPARTY);
  return sim;
}

/**
 * What every node-process trading test stands on: a migrated database of its own, a cluster CA, a
 * data folder for the node, the shared etcd and a cluster name of its own.
 */
export interface TradingGround {
  readonly database: TestDatabase;
  readonly tlsDir: string;
  readonly dataDir: string;
  readonly etcdEndpoints: readonly string[];
  readonly clusterName: string;
  /** The options of startTradingNode that come from here, for a node trading on `venue`. */
  nodeOptions(nodeId: string, venue: BinanceUsSimulator): TradingNodeOptions;
  /** Options of startDriver. */
  driverOptions(): Parameters<typeof startDriver>[0];
  /** Drops the database and removes the folders. */
  remove(): Promise<void>;
}

export async function prepareTradingGround(prefix: string): Promise<TradingGround> {
  const database = await createTestDatabase({ poolMax: 4 });
  await new MigrationRunner({ database: database.pool, logger: testLogger('migrations') }).up();
  const dirs = await tempDir(prefix);
  const tlsDir = join(dirs.dir, 'tls');
  await loadOrCreateCa(tlsDir);
  const dataDir = join(dirs.dir, 'node');
  await mkdir(dataDir, { recursive: true });
  const etcdEndpoints = inject('etcdEndpoints');
  const clusterName = uniqueClusterName();
  return {
    database,
    tlsDir,
    dataDir,
    etcdEndpoints,
    clusterName,
    nodeOptions: (nodeId, venue) => ({
      nodeId,
      etcdEndpoints,
      clusterName,
      databaseUrl: database.url,
      tlsDir,
      dataDir,
      venue,
    }),
    driverOptions: () => ({ etcdEndpoints, clusterName, tlsDir, pool: database.pool }),
    remove: async () => {
      await database.drop();
      await dirs.remove();
    },
  };
}

/** A real node process with the trading and venue roles. */
export interface TradingNodeProcess {
  readonly nodeId: string;
  readonly child: ChildProcessWithoutNullStreams;
  /** The last lines it logged, or the last of those matching `only` (for failure messages). */
  readonly logTail: (only?: RegExp) => string;
  readonly exited: Promise<number | null>;
  kill(signal: 'SIGKILL' | 'SIGTERM'): Promise<number | null>;
}

export interface TradingNodeOptions {
  readonly nodeId: string;
  readonly etcdEndpoints: readonly string[];
  readonly clusterName: string;
  readonly databaseUrl: string;
  readonly tlsDir: string;
  readonly dataDir: string;
  readonly venue: BinanceUsSimulator;
  readonly timeoutMs?: number;
  /**
   * Connect the node to its venues through its configuration (NINJA_BINANCEUS_* and the like, as
   * an operator would) instead of the test kinds module: these variables are added to its
   * environment, and `venue` is then only where the test looks.
   */
  readonly venueEnv?: Readonly<Record<string, string>>;
  /** Every line the node logged to stderr and stdout is handed here (e.g. to look for secrets). */
  readonly onLine?: (line: string) => void;
}

/** Starts `gekko node start` (trading, venue) pointed at the simulator; resolves once it is ready. */
export async function startTradingNode(options: TradingNodeOptions): Promise<TradingNodeProcess> {
  const child = spawn(
    process.execPath,
    [
      GEKKO,
      'node',
      'start',
      '--node-id',
      options.nodeId,
      '--roles',
      'trading,venue',
      '--listen',
      '127.0.0.1:0',
      '--etcd',
      options.etcdEndpoints.join(','),
      '--database-url',
      options.databaseUrl,
      '--cluster-name',
      options.clusterName,
      '--tls-dir',
      options.tlsDir,
    ],
    {
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '',
        NINJA_ENV: 'test',
        NINJA_DATA_DIR: options.dataDir,
        NINJA_HTTP_PORT: '0',
        NINJA_MEMBER_TTL_SECONDS: '2',
        NINJA_LOG_LEVEL: 'info',
        ...(options.venueEnv ?? {
          NINJA_TEST_KINDS_MODULE: VENUE_KINDS,
          NINJA_TRADING_VENUES: 'binanceus',
          [CRASH_VENUE_ENV.rest]: options.venue.restUrl,
          [CRASH_VENUE_ENV.ws]: options.venue.wsUrl,
          [CRASH_VENUE_ENV.apiKey]: options.venue.apiKey,
          [CRASH_VENUE_ENV.apiSecret]: options.venue.apiSecret,
          [CRASH_VENUE_ENV.symbols]: SYMBOL,
        }),
      },
    },
  );
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    let buffer = '';
    child.stderr.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        lines.push(line);
        options.onLine?.(line);
        if (lines.length > 5_000) lines.shift();
        if (line.includes('"msg":"node ready"')) resolve();
      }
    });
    child.stdout.on('data', (chunk: Buffer) => options.onLine?.(chunk.toString()));
    void exited.then((code) =>
      reject(new Error(`${options.nodeId} exited (${String(code)}) before ready:\n${lines.join('\n')}`)),
    );
    setTimeout(
      () => reject(new Error(`${options.nodeId} not ready in time:\n${lines.join('\n')}`)),
      options.timeoutMs ?? 30_000,
    ).unref();
  });
  const kill = async (signal: 'SIGKILL' | 'SIGTERM'): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  try {
    await ready;
  } catch (error) {
    await kill('SIGKILL');
    throw error;
  }
  return {
    nodeId: options.nodeId,
    child,
    logTail: (only) => (only === undefined ? lines : lines.filter((l) => only.test(l))).slice(-80).join('\n'),
    exited,
    kill,
  };
}

/** The test process's cluster member: hosts nothing (gateway role), trades through the node process. */
export interface Driver {
  readonly cluster: ClusterNode;
  stop(): Promise<void>;
}

export async function startDriver(options: {
  readonly etcdEndpoints: readonly string[];
  readonly clusterName: string;
  readonly tlsDir: string;
  readonly pool: pg.Pool;
}): Promise<Driver> {
  const tls = await loadOrCreateClusterTls(options.tlsDir, 'driver');
  const logger = testLogger('driver');
  const metrics = new MetricsRegistry();
  const cluster = new ClusterNode({
    nodeId: 'driver',
    roles: ['gateway'],
    version: 'test',
    logger,
    metrics,
    membership: {
      type: 'etcd',
      endpoints: options.etcdEndpoints,
      clusterName: options.clusterName,
      ttlSeconds: 2,
    },
    transport: {
      listen: '127.0.0.1:0',
      tls,
      options: { reconnect: { initialMs: 20, maxMs: 200 }, stopDeadlineMs: 1000 },
    },
    pool: options.pool,
  });
  // The codecs of orders/risk/portfolio; the driver has no trading role, so it hosts none of them.
  const trading: Trading = registerTrading(cluster, { logger, metrics, venues: ['binanceus'] });
  await cluster.start();
  return {
    cluster,
    stop: async () => {
      trading.close();
      await cluster.stop();
    },
  };
}

/** Journal rows of `orders/<account>` whose payload mentions `text` (a client order id or order id). */
export async function journalMentions(pool: pg.Pool, account: string, text: string): Promise<number> {
  const result = await pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM actor_journal
      WHERE identity = $1 AND position(convert_to($2, 'UTF8') IN payload) > 0`,
    [`orders/${account}`, text],
  );
  return Number(result.rows[0]?.n ?? '0');
}

/** The venue's own record of one of the account's client order ids. */
export interface VenueRecord {
  readonly venueClientOrderId: string;
  /** How many orders the simulator accepted for it (more than one is a duplicate venue order). */
  readonly accepted: number;
  readonly order: PaperOrder | undefined;
}

export function venueRecord(venue: BinanceUsSimulator, account: string, clientOrderId: string): VenueRecord {
  const id = venueClientOrderId(parseAccountId(account), parseClientOrderId(clientOrderId));
  return {
    venueClientOrderId: id,
    accepted: venue.control.acceptedCount(id),
    order: venue.control.engine.getOrder(venue.control.accountId, { clientOrderId: id }, SYMBOL),
  };
}

const VENUE_TO_OURS: Readonly<Record<string, string>> = {
  NEW: 'ACKNOWLEDGED',
  PARTIALLY_FILLED: 'PARTIALLY_FILLED',
  FILLED: 'FILLED',
  CANCELED: 'CANCELLED',
  EXPIRED: 'EXPIRED',
  REJECTED: 'REJECTED',
};

/** What the test did with one of an account's client order ids. */
export interface Attempt {
  readonly clientOrderId: string;
  /** True once the node answered the placement (the client saw the order accepted). */
  answered: boolean;
}

/**
 * Every difference between the account's orders (as the node lists them) and the venue's truth,
 * plus the portfolio's position against the sum of the venue's fills: empty when reconciled.
 */
export function differences(
  venue: BinanceUsSimulator,
  account: string,
  attempts: readonly Attempt[],
  orders: readonly Order[],
  position: string | undefined,
): string[] {
  const problems: string[] = [];
  const byId = new Map(orders.map((o) => [o.clientOrderId as string, o]));
  let venueNet = FixedDecimal.zero();
  let ourNet = FixedDecimal.zero();
  for (const attempt of attempts) {
    const cid = attempt.clientOrderId;
    const ours = byId.get(cid);
    const truth = venueRecord(venue, account, cid);
    if (truth.accepted > 1) problems.push(`${cid}: ${String(truth.accepted)} venue orders (duplicate)`);
    if (attempt.answered && ours === undefined) problems.push(`${cid}: answered to the client, now lost`);
    if (truth.accepted === 0) {
      if (ours !== undefined && ours.status !== 'REJECTED')
        problems.push(`${cid}: ${ours.status} here, the venue never accepted it`);
      continue;
    }
    if (truth.order === undefined) {
      problems.push(`${cid}: accepted by the venue but not found there (retention?)`);
      continue;
    }
    const v = truth.order;
    const signed = (q: FixedDecimal, side: string): FixedDecimal => (side === 'BUY' ? q : q.neg());
    venueNet = venueNet.add(signed(FixedDecimal.from(v.filledQuantity), v.side));
    if (ours === undefined) {
      problems.push(`${cid}: at the venue (${v.status}, filled ${v.filledQuantity.toString()}), lost here`);
      continue;
    }
    ourNet = ourNet.add(signed(FixedDecimal.from(ours.filledQuantity), ours.side));
    const expected = VENUE_TO_OURS[v.status];
    if (ours.status !== expected) problems.push(`${cid}: ${ours.status} here, ${v.status} at the venue`);
    if (!FixedDecimal.from(ours.filledQuantity).eq(FixedDecimal.from(v.filledQuantity)))
      problems.push(
        `${cid}: filled ${ours.filledQuantity.toString()} here, ${v.filledQuantity.toString()} at the venue`,
      );
    if (new Set(ours.tradeIds).size !== ours.tradeIds.length)
      problems.push(`${cid}: a trade id counted twice (${ours.tradeIds.join(',')})`);
  }
  const known = new Set(attempts.map((a) => a.clientOrderId));
  for (const order of orders) {
    if (!known.has(order.clientOrderId))
      problems.push(`${order.clientOrderId}: an order the test never placed`);
  }
  if (!ourNet.eq(venueNet))
    problems.push(`net filled ${ourNet.toString()} here, ${venueNet.toString()} at the venue`);
  const booked = FixedDecimal.parse(position ?? '0');
  if (!booked.eq(venueNet))
    problems.push(`portfolio position ${booked.toString()}, sum of the venue's fills ${venueNet.toString()}`);
  return problems;
}
