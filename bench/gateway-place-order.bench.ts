/**
 * Authenticated PlaceOrder through the gateway, against calling the order actor directly, side by
 * side in one run on one node (roles gateway, trading, venue; its embedded PostgreSQL; the paper
 * venue). Gateway path: a real grpc-js client on loopback → the gateway's gRPC server → dispatcher
 * (API key authentication, scope, the per-principal rate limit at `principal/<userId>`, validation,
 * account ownership) → `orders/<accountId>` → paper venue → the audit record of the call → answer.
 * Direct path: `placeOrder` of nodes/trading.ts on the same node (request to the same order actor).
 *
 * Orders are limit IOC buys far below the market: the venue acknowledges each and it expires there,
 * so nothing accumulates. RateLimits.trade allows each principal 50 then 20 orders/s: the orders are
 * spread over --principals users (one API key and one account each), so the rate limiter's ceiling
 * (printed) is far above what is measured and the figures are the gateway's, not the limit's. Any
 * failed call is counted and fails the run.
 *
 * Figures: the gateway's added latency (p50/p99 gateway minus direct) at a paced --rate orders/s
 * (open loop: latency from each order's scheduled time), maximum orders/s with --concurrency calls
 * in flight (closed loop), and CPU time of the process per order (load-robust; on the gateway path
 * it includes the in-process grpc-js client's encoding and decoding). Direct and gateway runs
 * alternate, --rounds times each, and the median is reported. No targets are set by the issue for
 * these: the figures are reported; the run fails only on failed calls.
 * Run: `node cli/bin/run-ts.js bench/gateway-place-order.bench.ts [--principals 20] [--rate 40]
 * [--concurrency 32] [--seconds 4] [--rounds 2]`. Each principal's account is a live order manager
 * whose pre-trade inputs the node polls every second, so many principals load the node by themselves.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Client, Metadata, credentials } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { createLogger } from '../observability/index.ts';
import { loadConfig, resolveSecrets, startNode } from '../nodes/index.ts';
import type { RunningNode } from '../nodes/index.ts';
import { registerPaperVenue } from '../nodes/paper-venue.ts';
import { placeOrder } from '../nodes/trading.ts';
import {
  ApiKeyScope,
  CreateApiKeyRequest,
  CreateApiKeyResponse,
  LoginRequest,
  LoginResponse,
  RegisterRequest,
  RegisterResponse,
} from '../proto/gen/ninja/v1/auth.ts';
import { OrderSide, OrderType, TimeInForce } from '../proto/gen/ninja/v1/order.ts';
import { PlaceOrderRequest, PlaceOrderResponse } from '../proto/gen/ninja/v1/trading.ts';
import { RateLimits } from '../gateway/api/rate-limits.ts';
import { pacedLoad, saturatingLoad } from './support/load.ts';
import type { LoadResult } from './support/load.ts';
import { beside, machineLoad, percentile } from './support/stats.ts';

const logger = createLogger({
  level: process.env.NINJA_BENCH_LOG_LEVEL ?? 'fatal',
  name: 'gateway-place-order-bench',
  destination: process.stderr,
});

const QUANTITY = '0.0100';
/** Far below the paper market (≈ 30,000): an IOC buy there never crosses. */
const PRICE = '20000.00';
const WARMUP_PER_PRINCIPAL = 3;

/** One user of the bench: its API key (`x-api-key` metadata) and its paper account. */
interface Principal {
  readonly apiKey: Metadata;
  readonly accountId: string;
}

interface Side {
  readonly paced: LoadResult[];
  readonly saturated: LoadResult[];
  readonly cpuUsPerOrder: number[];
}

type Send = (i: number) => Promise<unknown>;

export interface PlaceOrderBenchOptions {
  readonly principals?: number;
  readonly rate?: number;
  readonly concurrency?: number;
  readonly seconds?: number;
  readonly rounds?: number;
}

/** A unary call through `client`, typed at both ends. */
function unary<Req, Res>(
  client: Client,
  path: string,
  request: Req,
  codec: { encode(message: Req): { finish(): Uint8Array } },
  decode: (bytes: Buffer) => Res,
  metadata: Metadata,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(
      path,
      (value: Req) => Buffer.from(codec.encode(value).finish()),
      decode,
      request,
      metadata,
      { deadline: Date.now() + 30_000 },
      (error: ServiceError | null, response?: Res) => {
        if (error !== null) reject(new Error(`${path}: ${error.code} ${error.details}`));
        else if (response === undefined) reject(new Error(`${path}: no response`));
        else resolve(response);
      },
    );
  });
}

/** Registers `count` users, each with a trade-scoped API key and a paper account. */
async function signUpPrincipals(node: RunningNode, client: Client, count: number): Promise<Principal[]> {
  const principals: Principal[] = [];
  for (let i = 0; i < count; i++) {
    const email = `bench-trader-${i}@example.com`;
    const password = `${email} password`;
    await unary(
      client,
      '/ninja.v1.AuthService/Register',
      { email, password },
      RegisterRequest,
      (b) => RegisterResponse.decode(b),
      new Metadata(),
    );
    const login = await unary(
      client,
      '/ninja.v1.AuthService/Login',
      { email, password },
      LoginRequest,
      (b) => LoginResponse.decode(b),
      new Metadata(),
    );
    const session = new Metadata();
    session.set('authorization', `Bearer ${login.tokens?.accessToken ?? ''}`);
    const key = await unary(
      client,
      '/ninja.v1.AuthService/CreateApiKey',
      CreateApiKeyRequest.fromPartial({
        scopes: [ApiKeyScope.API_KEY_SCOPE_READ, ApiKeyScope.API_KEY_SCOPE_TRADE],
        label: 'place-order bench',
      }),
      CreateApiKeyRequest,
      (b) => CreateApiKeyResponse.decode(b),
      session,
    );
    const account = await node.database.pool.query<{ id: string }>(
      "INSERT INTO accounts (user_id, venue, name) VALUES ($1, 'paper', 'bench') RETURNING id",
      [login.user?.userId ?? ''],
    );
    const accountId = account.rows[0]?.id;
    if (accountId === undefined) throw new Error(`no account created for ${email}`);
    const apiKey = new Metadata();
    apiKey.set('x-api-key', key.credential);
    principals.push({ apiKey, accountId });
  }
  return principals;
}

function orderRequest(accountId: string, clientOrderId: string): PlaceOrderRequest {
  return PlaceOrderRequest.fromPartial({
    accountId,
    clientOrderId,
    instrumentId: { symbol: 'BTC-USD', venue: 'paper' },
    side: OrderSide.ORDER_SIDE_BUY,
    type: OrderType.ORDER_TYPE_LIMIT,
    timeInForce: TimeInForce.TIME_IN_FORCE_IOC,
    quantity: { value: QUANTITY },
    price: { value: PRICE },
  });
}

const median = (values: readonly number[]): number => percentile(values, 50);
const rateOf = (r: LoadResult): number => (r.latenciesMs.length * 1000) / r.elapsedMs;
const ms = (v: number): string => `${v.toFixed(2)} ms`;

function failuresOf(results: readonly LoadResult[]): { count: number; first: string | undefined } {
  return {
    count: results.reduce((n, r) => n + r.failures, 0),
    first: results.find((r) => r.firstError !== undefined)?.firstError,
  };
}

async function measure(
  side: Side,
  send: Send,
  rate: number,
  concurrency: number,
  seconds: number,
): Promise<void> {
  side.paced.push(await pacedLoad(rate, rate * seconds, send));
  const before = process.cpuUsage();
  const saturated = await saturatingLoad(concurrency, seconds * 1000, send);
  const cpu = process.cpuUsage(before);
  side.saturated.push(saturated);
  side.cpuUsPerOrder.push((cpu.user + cpu.system) / Math.max(1, saturated.latenciesMs.length));
}

export async function runPlaceOrderBench(options: PlaceOrderBenchOptions = {}): Promise<boolean> {
  const principalCount = options.principals ?? 20;
  const rate = options.rate ?? 40;
  const concurrency = options.concurrency ?? 32;
  const seconds = options.seconds ?? 4;
  const rounds = options.rounds ?? 2;

  const dataDir = await mkdtemp(join(tmpdir(), 'gekko-bench-gateway-'));
  // As root the embedded server runs as the OS user "postgres", which must be able to enter it.
  await chmod(dataDir, 0o755);
  const config = resolveSecrets(
    loadConfig({
      env: {
        NINJA_ENV: 'test',
        NINJA_NODE_ID: 'bench-gateway-1',
        NINJA_DATA_DIR: dataDir,
        NINJA_HTTP_PORT: '0',
        NINJA_GRPC_PORT: '0',
        NINJA_ROLES: 'gateway,trading,venue',
        // Registration and login of the bench's users all come from one address.
        NINJA_ADDRESS_RATE_LIMIT_SCALE: '1000',
      },
    }),
    logger,
  );
  const node = await startNode(config, logger, {
    registerKinds: (n, services) => registerPaperVenue(n, services),
  });
  const client = new Client(`${node.grpc?.host ?? ''}:${node.grpc?.port ?? 0}`, credentials.createInsecure());
  try {
    if (node.grpc === undefined) throw new Error('node started without the gateway');
    const principals = await signUpPrincipals(node, client, principalCount);
    const principal = (i: number): Principal => {
      const p = principals[i % principals.length];
      if (p === undefined) throw new Error('no principals');
      return p;
    };
    let sequence = 0;
    const viaGateway: Send = (i) => {
      const p = principal(i);
      return unary(
        client,
        '/ninja.v1.TradingService/PlaceOrder',
        orderRequest(p.accountId, `bench-gw-${++sequence}`),
        PlaceOrderRequest,
        (b) => PlaceOrderResponse.decode(b),
        p.apiKey,
      );
    };
    const direct: Send = (i) => {
      const p = principal(i);
      return placeOrder(node.cluster, p.accountId, {
        clientOrderId: `bench-direct-${++sequence}`,
        instrumentId: 'BTC-USD.PAPER',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'IOC',
        quantity: QUANTITY,
        price: PRICE,
      });
    };
    // Activates every order manager (and its venue and risk inputs) and warms both paths.
    const warm = async (send: Send) => {
      for (let round = 0; round < WARMUP_PER_PRINCIPAL; round++)
        await Promise.all(principals.map((_, i) => send(i)));
    };
    await warm(direct);
    await warm(viaGateway);

    const gateway: Side = { paced: [], saturated: [], cpuUsPerOrder: [] };
    const actor: Side = { paced: [], saturated: [], cpuUsPerOrder: [] };
    for (let round = 0; round < rounds; round++) {
      await measure(actor, direct, rate, concurrency, seconds);
      await measure(gateway, viaGateway, rate, concurrency, seconds);
    }

    const lat = (side: Side, p: number) => median(side.paced.map((r) => percentile(r.latenciesMs, p)));
    const tput = (side: Side) => median(side.saturated.map(rateOf));
    const cpu = (side: Side) => median(side.cpuUsPerOrder);
    const ceiling = principalCount * RateLimits.trade.perSecond;
    console.log(
      `PlaceOrder on one node (gateway + trading + paper venue): ${principalCount} principals (API keys, one account each), ` +
        `rate-limit ceiling ${ceiling} orders/s sustained (${RateLimits.trade.perSecond}/s each after a burst of ${RateLimits.trade.burst}); ` +
        `${rounds} alternating rounds of ${seconds} s per figure, medians; ${machineLoad()}`,
    );
    const reported = 'reported (no target)';
    for (const [name, side] of [
      ['direct (placeOrder → orders actor)', actor],
      ['gateway (grpc-js client → gateway)', gateway],
    ] as const) {
      console.log(beside(`${name} p50 at ${rate}/s`, ms(lat(side, 50)), reported, true));
      console.log(beside(`${name} p99 at ${rate}/s`, ms(lat(side, 99)), reported, true));
      console.log(
        beside(`${name} max, ${concurrency} in flight`, `${tput(side).toFixed(0)} /s`, reported, true),
      );
      console.log(beside(`${name} CPU per order`, `${cpu(side).toFixed(0)} µs`, reported, true));
    }
    console.log(beside('gateway added latency p50', ms(lat(gateway, 50) - lat(actor, 50)), reported, true));
    console.log(beside('gateway added latency p99', ms(lat(gateway, 99) - lat(actor, 99)), reported, true));
    console.log(
      beside('gateway added CPU per order', `${(cpu(gateway) - cpu(actor)).toFixed(0)} µs`, reported, true),
    );
    const failed = failuresOf([...gateway.paced, ...gateway.saturated, ...actor.paced, ...actor.saturated]);
    const throughputBelowLimit = tput(gateway) < ceiling;
    console.log(
      beside('failed calls', String(failed.count), '0', failed.count === 0) +
        (failed.first === undefined ? '' : ` first: ${failed.first}`),
    );
    console.log(
      beside(
        'gateway throughput below the rate-limit ceiling',
        `${tput(gateway).toFixed(0)} /s`,
        `< ${ceiling} /s`,
        throughputBelowLimit,
      ),
    );
    return failed.count === 0 && throughputBelowLimit;
  } finally {
    client.close();
    await node.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      principals: { type: 'string' },
      rate: { type: 'string' },
      concurrency: { type: 'string' },
      seconds: { type: 'string' },
      rounds: { type: 'string' },
    },
  });
  const ok = await runPlaceOrderBench({
    ...(values.principals === undefined ? {} : { principals: Number(values.principals) }),
    ...(values.rate === undefined ? {} : { rate: Number(values.rate) }),
    ...(values.concurrency === undefined ? {} : { concurrency: Number(values.concurrency) }),
    ...(values.seconds === undefined ? {} : { seconds: Number(values.seconds) }),
    ...(values.rounds === undefined ? {} : { rounds: Number(values.rounds) }),
  });
  process.exit(ok ? 0 : 1);
}
