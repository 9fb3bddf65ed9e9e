// StreamOrderUpdates across nodes: the gateway role on one node, the accounts' order managers on
// two trading nodes (etcd membership, real gRPC cluster transport with mutual TLS, one PostgreSQL).
// Fills of an order manager reach the gateway node's streams through `order-feed/<accountId>`;
// each stream gets each fill once, with the order as it stands after it, also after the feed moved
// (its node drained) while the streams were open.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client, Metadata, credentials } from '@grpc/grpc-js';
import type { ClientReadableStream } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadOrCreateCa } from '../../../cluster/index.ts';
import { Quantity } from '../../../domain/index.ts';
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
import { createTestDatabase, waitFor } from '../../support/index.ts';
import type { TestDatabase } from '../../support/index.ts';
import {
  clusterNodeConfig,
  eventually,
  tempDir,
  uniqueClusterName,
} from '../cluster-node/cluster-node-harness.ts';
import { RawGrpcClient, signUp } from './gateway-harness.ts';
import type { GatewayTestNode, TestUser } from './gateway-harness.ts';

const GATEWAY_NODE = 'ou-gateway';
const TRADING_NODES = ['ou-trading-1', 'ou-trading-2'] as const;

let database: TestDatabase;
let dirs: { dir: string; remove: () => Promise<void> };
const trading: RunningNode[] = [];
let gateway: RunningNode;
let gw: GatewayTestNode;
let dave: TestUser;

async function startClusterNode(nodeId: string, roles: string, clusterName: string): Promise<RunningNode> {
  const { config, logger } = await clusterNodeConfig({
    dir: dirs.dir,
    nodeId,
    roles,
    clusterName,
    databaseUrl: database.url,
    etcdEndpoints: inject('etcdEndpoints'),
    env: { NINJA_ADDRESS_RATE_LIMIT_SCALE: '1000' },
  });
  return startNode(config, logger, { registerKinds: (node, services) => registerPaperVenue(node, services) });
}

beforeAll(async () => {
  database = await createTestDatabase();
  dirs = await tempDir('ninja-order-updates-cluster-');
  await loadOrCreateCa(join(dirs.dir, 'tls'));
  const clusterName = uniqueClusterName();
  // One after the other: each node migrates the shared database as it starts.
  for (const nodeId of TRADING_NODES)
    trading.push(await startClusterNode(nodeId, 'trading,venue', clusterName));
  gateway = await startClusterNode(GATEWAY_NODE, 'gateway', clusterName);
  await eventually(
    () => gateway.cluster.membership.members().filter((m) => m.state === 'up').length === 3,
    20_000,
    'every node up in the gateway node’s view',
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
  for (const node of trading) await node.stop();
  await database?.drop();
  await dirs?.remove();
}, 60_000);

/** A market order placed through the gateway node, again under a new id while no mid is known yet. */
async function placeMarket(
  user: TestUser,
  accountId: string,
  prefix: string,
  side: OrderSide,
  quantity: string,
): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const clientOrderId = `${prefix}-${attempt}`;
    const placed = await gw.grpc.unary(
      '/ninja.v1.TradingService/PlaceOrder',
      PlaceOrderRequest.fromPartial({
        accountId,
        clientOrderId,
        instrumentId: { symbol: 'BTC-USD', venue: 'paper' },
        side,
        type: OrderType.ORDER_TYPE_MARKET,
        timeInForce: TimeInForce.TIME_IN_FORCE_IOC,
        quantity: { value: quantity },
      }),
      PlaceOrderRequest,
      PlaceOrderResponse,
      { token: user.token },
    );
    if (placed.ok) return clientOrderId;
    if (!/NO_REFERENCE_PRICE|UNAVAILABLE/.test(placed.details) || attempt >= 50) {
      throw new Error(placed.details);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function openStream(
  client: Client,
  user: TestUser,
  accountId: string,
): {
  received: StreamOrderUpdatesResponse[];
  call: ClientReadableStream<StreamOrderUpdatesResponse>;
} {
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${user.token}`);
  const received: StreamOrderUpdatesResponse[] = [];
  const call = client.makeServerStreamRequest(
    '/ninja.v1.TradingService/StreamOrderUpdates',
    (request: StreamOrderUpdatesRequest) => Buffer.from(StreamOrderUpdatesRequest.encode(request).finish()),
    (bytes: Buffer) => StreamOrderUpdatesResponse.decode(bytes),
    { accountId },
    metadata,
  );
  call.on('data', (message: StreamOrderUpdatesResponse) => received.push(message));
  call.on('error', () => undefined); // cancelled at the end of the test
  return { received, call };
}

type OpenStream = ReturnType<typeof openStream>;

/** Each stream got each fill of the order once, with the order, and the fills make up the whole order. */
function expectEachFillOnce(streams: readonly OpenStream[], clientOrderId: string, quantity: string): void {
  for (const stream of streams) {
    const fills = stream.received.filter((m) => m.fill?.clientOrderId === clientOrderId);
    expect(fills.length).toBeGreaterThan(0);
    for (const m of fills) {
      expect(m.order?.clientOrderId).toBe(clientOrderId);
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
    expect(total.eq(Quantity.parse(quantity))).toBe(true);
    const last = stream.received.filter((m) => m.order?.clientOrderId === clientOrderId).at(-1);
    expect(last?.order?.filledQuantity?.value).toBe(quantity);
  }
}

/** Waits until every stream has the order FILLED, then a little for fills still on their way. */
async function waitFilled(streams: readonly OpenStream[], clientOrderId: string): Promise<void> {
  const filled = (s: OpenStream) =>
    s.received.some(
      (m) => m.order?.clientOrderId === clientOrderId && m.order.status === OrderStatus.ORDER_STATUS_FILLED,
    );
  await waitFor(
    () => Promise.resolve(streams.every(filled)),
    30_000,
    `${clientOrderId} filled on every stream`,
  );
  await new Promise((resolve) => setTimeout(resolve, 1_000));
}

describe('StreamOrderUpdates on a gateway node without the order manager', () => {
  it('gets each fill once per stream, with its order, through the order feed', async () => {
    // Placement by role: the gateway node hosts neither the order manager nor the feed.
    const owners = [`orders/${dave.accountId}`, `order-feed/${dave.accountId}`].map(
      (identity) => gateway.cluster.ownerOf(identity)?.nodeId,
    );
    for (const owner of owners) expect(TRADING_NODES).toContain(owner);

    const client = new Client(gw.grpcAddress, credentials.createInsecure());
    const streams = [openStream(client, dave, dave.accountId), openStream(client, dave, dave.accountId)];
    try {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const bought = await placeMarket(dave, dave.accountId, 'ouc-buy', OrderSide.ORDER_SIDE_BUY, '0.0100');
      await waitFilled(streams, bought);
      expectEachFillOnce(streams, bought, '0.0100');
    } finally {
      for (const stream of streams) stream.call.cancel();
      client.close();
    }
  }, 90_000);

  it('follows the feed to its next owner when the node hosting it drains', async () => {
    const erin = await signUp(gw, 'erin-order-updates-cluster@example.com');
    // An account whose feed is on the first trading node and whose order manager is on the second.
    let accountId = randomUUID();
    while (
      gateway.cluster.ownerOf(`order-feed/${accountId}`)?.nodeId !== TRADING_NODES[0] ||
      gateway.cluster.ownerOf(`orders/${accountId}`)?.nodeId !== TRADING_NODES[1]
    ) {
      accountId = randomUUID();
    }
    await database.pool.query(
      "INSERT INTO accounts (id, user_id, venue, name) VALUES ($1, $2, 'paper', 'moves')",
      [accountId, erin.userId],
    );
    const client = new Client(gw.grpcAddress, credentials.createInsecure());
    const streams = [openStream(client, erin, accountId), openStream(client, erin, accountId)];
    try {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const [first] = trading;
      if (first === undefined) throw new Error('no trading node');
      await first.stop();
      await eventually(
        () => gateway.cluster.ownerOf(`order-feed/${accountId}`)?.nodeId === TRADING_NODES[1],
        20_000,
        'the feed placed on the remaining trading node',
      );
      const bought = await placeMarket(erin, accountId, 'ouc-moved', OrderSide.ORDER_SIDE_BUY, '0.0100');
      await waitFilled(streams, bought);
      expectEachFillOnce(streams, bought, '0.0100');
    } finally {
      for (const stream of streams) stream.call.cancel();
      client.close();
    }
  }, 120_000);
});
