// A gateway node whose venues live on another node, as in a deployment with separate venue nodes:
// the gateway node has no venue role, the venue node hosts the paper venue and Binance.US (its
// simulator, through the live-venue configuration). ListInstruments without a venue lists both
// venues' instruments. It used to fail FAILED_PRECONDITION ("kind venue has no implementation
// registered") because only venue-role nodes registered the kind, and then listed one venue only:
// the parallel requests to one peer shared the call's correlation id, which the transport refuses
// while a request with it is pending.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadOrCreateCa } from '../../../cluster/index.ts';
import { startNode } from '../../../nodes/index.ts';
import type { RunningNode } from '../../../nodes/index.ts';
import { registerNodeVenues } from '../../../nodes/live-venues.ts';
import { ListInstrumentsRequest, ListInstrumentsResponse } from '../../../proto/gen/ninja/v1/market_data.ts';
import { startBinanceUsSimulator } from '../../../venues/sim/binanceus/index.ts';
import type { BinanceUsSimulator } from '../../../venues/sim/binanceus/index.ts';
import { createTestDatabase, testLogger } from '../../support/index.ts';
import type { TestDatabase } from '../../support/index.ts';
import {
  clusterNodeConfig,
  eventually,
  tempDir,
  uniqueClusterName,
} from '../cluster-node/cluster-node-harness.ts';
import { RawGrpcClient, signUp } from '../gateway/gateway-harness.ts';

let database: TestDatabase;
let dirs: { dir: string; remove: () => Promise<void> };
let binance: BinanceUsSimulator;
const nodes: RunningNode[] = [];
let grpc: RawGrpcClient;
let token: string;

async function startClusterNode(
  nodeId: string,
  roles: string,
  clusterName: string,
  venueEnv: Record<string, string>,
): Promise<RunningNode> {
  const { config, logger } = await clusterNodeConfig({
    dir: dirs.dir,
    nodeId,
    roles,
    clusterName,
    databaseUrl: database.url,
    etcdEndpoints: inject('etcdEndpoints'),
    env: venueEnv,
  });
  // What `gekko node start` registers for the node's roles.
  return startNode(config, logger, {
    registerKinds: (node, services) => registerNodeVenues(node, config, services),
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  dirs = await tempDir('ninja-gateway-venues-elsewhere-');
  await loadOrCreateCa(join(dirs.dir, 'tls'));
  binance = await startBinanceUsSimulator({ port: 0, seed: 3, logger: testLogger('binanceus-sim') });
  const clusterName = uniqueClusterName();
  nodes.push(
    await startClusterNode('ve-venues', 'trading,venue', clusterName, {
      NINJA_BINANCEUS_REST_URL: binance.restUrl,
      NINJA_BINANCEUS_WS_URL: binance.wsUrl,
      NINJA_BINANCEUS_API_KEY: binance.apiKey,
      NINJA_BINANCEUS_API_SECRET: binance.apiSecret,
      NINJA_BINANCEUS_SYMBOLS: 'BTCUSD',
    }),
  );
  const gateway = await startClusterNode('ve-gateway', 'gateway', clusterName, {});
  nodes.push(gateway);
  await eventually(
    () => gateway.cluster.membership.members().filter((m) => m.state === 'up').length === 2,
    20_000,
    'both nodes up in the gateway node’s view',
  );
  if (gateway.grpc === undefined) throw new Error('the gateway node has no gRPC endpoint');
  const grpcAddress = `${gateway.grpc.host}:${gateway.grpc.port}`;
  grpc = new RawGrpcClient(grpcAddress);
  const user = await signUp(
    {
      node: gateway,
      database,
      grpcAddress,
      httpBase: '',
      wsUrl: '',
      grpc,
      stop: () => Promise.resolve(),
    },
    'erin-venues-elsewhere@example.com',
  );
  token = user.token;
}, 180_000);

afterAll(async () => {
  grpc?.close();
  for (const node of nodes.reverse()) await node.stop();
  await binance?.close();
  await database?.drop();
  await dirs?.remove();
}, 60_000);

describe('ListInstruments on a gateway node without the venue role', () => {
  it('lists the instruments of every venue, which all live on the venue node', async () => {
    let venues: string[] = [];
    let last = '';
    // The venues connect on their first request: ask until both have connected.
    for (let attempt = 0; attempt < 60 && venues.length < 2; attempt++) {
      const answer = await grpc.unary(
        '/ninja.v1.MarketDataService/ListInstruments',
        ListInstrumentsRequest.fromPartial({}),
        ListInstrumentsRequest,
        ListInstrumentsResponse,
        { token },
      );
      last = answer.ok ? JSON.stringify(answer.value.instruments.map((i) => i.id)) : answer.details;
      expect(last).not.toContain('has no implementation registered');
      if (answer.ok) venues = [...new Set(answer.value.instruments.map((i) => i.id?.venue ?? ''))].sort();
      if (venues.length < 2) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(venues, last).toEqual(['binanceus', 'paper']);
  }, 60_000);
});
