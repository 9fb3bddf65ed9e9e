// StreamOrderUpdates across nodes: the gateway role on one node, the account's order manager on
// another (etcd membership, real gRPC cluster transport with mutual TLS, one PostgreSQL). Fills of
// the order manager reach the gateway node's streams through `order-feed/<accountId>`; each stream
// gets each fill once, with the order as it stands after it.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Client, Metadata, credentials } from '@grpc/grpc-js';
import type { ClientReadableStream } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadOrCreateCa } from '../../../cluster/index.ts';
import { Quantity } from '../../../domain/index.ts';
import { loadConfig, resolveSecrets } from '../../../nodes/config/index.ts';
import { startNode } from '../../../nodes/index.ts';
import type { RunningNode } from '../../../nodes/index.ts';
import { registerPaperVenue } from '../../../nodes/paper-venue.ts';
import { OrderSide, OrderStatus, OrderType, TimeInForce } from '../../../proto/gen/ninja/v1/order.ts';
import {
  PlaceOrderRequest,
  PlaceOrderResponse,
  StreamOrderUpdatesRequest,
  StreamOrderUpdatesResponse,
} from '../../../proto/gen/ninja/v1/trading.ts';
import { createTestDatabase, testLogger, waitFor } from '../../support/index.ts';
import type { TestDatabase } from '../../support/index.ts';
import { eventually, tempDir, uniqueClusterName } from '../cluster-node/cluster-node-harness.ts';
import { RawGrpcClient, signUp } from './gateway-harness.ts';
import type { GatewayTestNode, TestUser } from './gateway-harness.ts';

const GATEWAY_NODE = 'ou-gateway';
const TRADING_NODE = 'ou-trading';

let database: TestDatabase;
let dirs: { dir: string; remove: () => Promise<void> };
let trading: RunningNode;
let gateway: RunningNode;
let gw: GatewayTestNode;
let dave: TestUser;

async function startClusterNode(nodeId: string, roles: string, clusterName: string): Promise<RunningNode> {
  const dataDir = join(dirs.dir, nodeId);
  await mkdir(dataDir, { recursive: true });
  const logger = testLogger(nodeId);
  const config = resolveSecrets(
    loadConfig({
      env: {
        NINJA_ENV: 'test',
        NINJA_NODE_ID: nodeId,
        NINJA_DATA_DIR: dataDir,
        DATABASE_URL: database.url,
        NINJA_HTTP_PORT: '0',
        NINJA_GRPC_PORT: '0',
        NINJA_ROLES: roles,
        NINJA_ADDRESS_RATE_LIMIT_SCALE: '1000',
        NINJA_ETCD_ENDPOINTS: inject('etcdEndpoints').join(','),
        NINJA_CLUSTER_NAME: clusterName,
        NINJA_CLUSTER_LISTEN: '127.0.0.1:0',
        NINJA_TLS_DIR: join(dirs.dir, 'tls'),
        // Two nodes on one event loop of a loaded machine: a longer lease than the 2 s default,
        // so that a slow turn does not fence them mid-test (fencing is tested elsewhere).
        NINJA_MEMBER_TTL_SECONDS: '6',
      },
    }),
    logger,
  );
  return startNode(config, logger, { registerKinds: (node, services) => registerPaperVenue(node, services) });
}

beforeAll(async () => {
  database = await createTestDatabase();
  dirs = await tempDir('ninja-order-updates-cluster-');
  await loadOrCreateCa(join(dirs.dir, 'tls'));
  const clusterName = uniqueClusterName();
  // One after the other: each node migrates the shared database as it starts.
  trading = await startClusterNode(TRADING_NODE, 'trading,venue', clusterName);
  gateway = await startClusterNode(GATEWAY_NODE, 'gateway', clusterName);
  await eventually(
    () => gateway.cluster.membership.members().filter((m) => m.state === 'up').length === 2,
    20_000,
    'both nodes up in the gateway node’s view',
  );
  if (gateway.grpc === undefined) throw new Error('the gateway node has no gRPC endpoint');
  const grpcAddress = `${gateway.grpc.host}:${gateway.grpc.port}`;
  gw = {
    node: gateway,
    database,
    grpcAddress,
    httpBase: `http://${gateway.http.host}:${gateway.http.port}`,
    wsUrl: `ws://${gateway.http.host}:${gateway.http.port}/ws`,
    grpc: new RawGrpcClient(grpcAddress),
    stop: () => Promise.resolve(),
  };
  dave = await signUp(gw, 'dave-order-updates-cluster@example.com');
}, 180_000);

afterAll(async () => {
  gw?.grpc.close();
  await gateway?.stop();
  await trading?.stop();
  await database?.drop();
  await dirs?.remove();
}, 60_000);

/** A market order placed through the gateway node, again under a new id while no mid is known yet. */
async function placeMarket(prefix: string, side: OrderSide, quantity: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const clientOrderId = `${prefix}-${attempt}`;
    const placed = await gw.grpc.unary(
      '/ninja.v1.TradingService/PlaceOrder',
      PlaceOrderRequest.fromPartial({
        accountId: dave.accountId,
        clientOrderId,
        instrumentId: { symbol: 'BTC-USD', venue: 'paper' },
        side,
        type: OrderType.ORDER_TYPE_MARKET,
        timeInForce: TimeInForce.TIME_IN_FORCE_IOC,
        quantity: { value: quantity },
      }),
      PlaceOrderRequest,
      PlaceOrderResponse,
      { token: dave.token },
    );
    if (placed.ok) return clientOrderId;
    if (!/NO_REFERENCE_PRICE|UNAVAILABLE/.test(placed.details) || attempt >= 50) {
      throw new Error(placed.details);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function openStream(client: Client): {
  received: StreamOrderUpdatesResponse[];
  call: ClientReadableStream<StreamOrderUpdatesResponse>;
} {
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${dave.token}`);
  const received: StreamOrderUpdatesResponse[] = [];
  const call = client.makeServerStreamRequest(
    '/ninja.v1.TradingService/StreamOrderUpdates',
    (request: StreamOrderUpdatesRequest) => Buffer.from(StreamOrderUpdatesRequest.encode(request).finish()),
    (bytes: Buffer) => StreamOrderUpdatesResponse.decode(bytes),
    { accountId: dave.accountId },
    metadata,
  );
  call.on('data', (message: StreamOrderUpdatesResponse) => received.push(message));
  call.on('error', () => undefined); // cancelled at the end of the test
  return { received, call };
}

describe('StreamOrderUpdates on a gateway node without the order manager', () => {
  it('gets each fill once per stream, with its order, through the order feed', async () => {
    // Placement by role: the gateway node hosts neither the order manager nor the feed.
    expect(gateway.cluster.ownerOf(`orders/${dave.accountId}`)?.nodeId).toBe(TRADING_NODE);
    expect(gateway.cluster.ownerOf(`order-feed/${dave.accountId}`)?.nodeId).toBe(TRADING_NODE);

    const client = new Client(gw.grpcAddress, credentials.createInsecure());
    const streams = [openStream(client), openStream(client)];
    try {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const bought = await placeMarket('ouc-buy', OrderSide.ORDER_SIDE_BUY, '0.0100');
      const filled = (s: (typeof streams)[number], clientOrderId: string) =>
        s.received.some(
          (m) =>
            m.order?.clientOrderId === clientOrderId && m.order.status === OrderStatus.ORDER_STATUS_FILLED,
        );
      await waitFor(
        () => Promise.resolve(streams.every((s) => filled(s, bought))),
        30_000,
        'the order filled on both streams',
      );
      // Fills published after the order change may still be on their way: let them land.
      await new Promise((resolve) => setTimeout(resolve, 1_000));

      for (const stream of streams) {
        const fills = stream.received.filter((m) => m.fill?.clientOrderId === bought);
        expect(fills.length).toBeGreaterThan(0);
        for (const m of fills) {
          expect(m.order?.clientOrderId).toBe(bought);
          expect(m.fill?.orderId).toBe(m.order?.orderId);
          expect(m.fill?.tradeId).not.toBe('');
          expect(m.fill?.side).toBe(OrderSide.ORDER_SIDE_BUY);
          expect(m.fill?.instrumentId).toEqual({ symbol: 'BTC-USD', venue: 'paper' });
          expect(Number(m.fill?.price?.value)).toBeGreaterThan(0);
        }
        // Once per trade, and together they are the whole order (exact decimals).
        expect(new Set(fills.map((m) => m.fill?.tradeId)).size).toBe(fills.length);
        const total = fills.reduce(
          (sum, m) => sum.add(Quantity.parse(m.fill?.quantity?.value ?? '')),
          Quantity.zero(4),
        );
        expect(total.eq(Quantity.parse('0.0100'))).toBe(true);
        const last = stream.received.filter((m) => m.order?.clientOrderId === bought).at(-1);
        expect(last?.order?.filledQuantity?.value).toBe('0.0100');
      }
    } finally {
      for (const stream of streams) stream.call.cancel();
      client.close();
    }
  }, 90_000);
});
