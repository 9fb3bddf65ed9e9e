import { MigrationRunner, openDatabase } from '../persistence/index.ts';
import type { Database } from '../persistence/index.ts';
import type { Logger } from '../observability/index.ts';
import { MetricsRegistry } from '../observability/index.ts';
import type { ClusterNode } from '../cluster/index.ts';
import { NodeRole } from '../cluster/index.ts';
import { InternalError } from '../domain/errors.ts';
import { principalKind } from '../actors/principal/index.ts';
import { Gateway, defaultCredentialsFile, ensureDevelopmentOperator } from '../gateway/index.ts';
import type { GrpcGatewayServer } from '../gateway/index.ts';
import { NinjaEnv } from './config/index.ts';
import type { Config } from './config/index.ts';
import { databaseConfigOf } from './database-config.ts';
import { startNodeHttpServer } from './node-http-server.ts';
import type { NodeHttpServer } from './node-http-server.ts';
import { startClusterNode } from './start-cluster.ts';
import { registerTrading } from './trading.ts';
import type { Trading, TradingOptions } from './trading.ts';
import type { RegisterKinds } from './start-cluster.ts';
import { RECOMMENDED_NODE_FLAGS, applyNodeFlagsAtRunTime } from './node-flags.ts';
import { CAN_NICE_THREADS, niceHelperThreads } from './helper-threads.ts';

/** A running node process: what it started, and how to stop it in reverse order. */
export interface RunningNode {
  readonly config: Config;
  readonly database: Database;
  readonly http: NodeHttpServer;
  readonly metrics: MetricsRegistry;
  /** This node's cluster member: address any identity with `cluster.send` / `cluster.request`. */
  readonly cluster: ClusterNode;
  /** The order managers' venue and pre-trade input caches of this node (place orders with nodes/trading.ts). */
  readonly trading: Trading;
  /** The client gateway, on nodes with the gateway role. */
  readonly gateway: Gateway | undefined;
  /** The gateway's gRPC endpoint, on nodes with the gateway role. */
  readonly grpc: GrpcGatewayServer | undefined;
  /** Stops everything this node started; safe to call more than once. */
  stop(): Promise<void>;
}

export interface StartNodeOptions {
  /** Kinds to register on the cluster before it joins (beyond those the node registers itself). */
  readonly registerKinds?: RegisterKinds;
  /**
   * Where a development node saves the local operator's credentials; default
   * `$XDG_CONFIG_HOME/ninja-gekko/credentials.json` (or `~/.config/...`). Ignored outside development.
   */
  readonly credentialsFile?: string;
  /** Venues orders may go to and the reconciliation period (see nodes/trading.ts). */
  readonly trading?: Pick<TradingOptions, 'venues' | 'reconcileEveryMs'>;
}

/**
 * Wires one node: database (embedded unless configured) → migrations → cluster (static membership
 * without etcd; every node registers the `principal` kind) → gateway core → HTTP endpoint (with the
 * gateway's JWKS and WebSocket) → gateway gRPC endpoint, the last two on nodes with the gateway
 * role. A development node then makes sure the local operator account exists (see
 * gateway/dev/operator-credentials.ts). Stopping closes the gateway first, then drains the cluster
 * node (local actors passivate, then it leaves).
 */
export async function startNode(
  config: Config,
  logger: Logger,
  options: StartNodeOptions = {},
): Promise<RunningNode> {
  const startedAt = performance.now();
  const metrics = new MetricsRegistry({ defaultMetrics: true });
  logger.info({ nodeId: config.nodeId, env: config.env, dataDir: config.dataDir }, 'node starting');
  const flags = applyNodeFlagsAtRunTime();
  if (flags.applied.length > 0) {
    logger.info(
      { applied: flags.applied },
      'recommended V8 flags the process was started without set at run time',
    );
  }
  if (flags.missing.length > 0) {
    logger.info(
      { missing: flags.missing, recommended: RECOMMENDED_NODE_FLAGS },
      'node runs without some recommended V8 flags (npm start passes them; a service: NODE_OPTIONS=--max-semi-space-size=8; docs/trading.md, "Node memory")',
    );
  }

  const database = await openDatabase(databaseConfigOf(config), { logger, metrics });
  let http: NodeHttpServer | undefined;
  let cluster: ClusterNode | undefined;
  let gateway: Gateway | undefined;
  let grpc: GrpcGatewayServer | undefined;
  let trading: Trading | undefined;
  try {
    await new MigrationRunner({ database, logger, metrics }).up();
    if (config.helperThreadsNice !== undefined && config.helperThreadsNice !== 0 && !CAN_NICE_THREADS) {
      logger.info({ platform: process.platform }, 'helper threads keep their priority: not on Linux');
    } else if (config.helperThreadsNice !== undefined && config.helperThreadsNice !== 0) {
      const threads = niceHelperThreads(config.helperThreadsNice);
      logger.info(
        { threads, nice: config.helperThreadsNice },
        'helper threads reniced (the event loop keeps its priority)',
      );
    }
    cluster = await startClusterNode(
      config,
      { pool: database.pool, logger, metrics },
      async (node, services) => {
        node.register(principalKind());
        const venues = config.trading.venues;
        trading = registerTrading(node, {
          ...services,
          pool: database.pool,
          ...(venues === undefined ? {} : { venues }),
          ...options.trading,
        });
        await options.registerKinds?.(node, services);
      },
    );
    const member = cluster.membership;
    // Order managers with open orders reconcile now, not on their first message (docs/trading.md).
    trading?.activateOrderManagers();
    if (config.cluster.roles.includes(NodeRole.gateway)) {
      gateway = await Gateway.create({
        pool: database.pool,
        cluster,
        metrics,
        logger,
        signingKeys: config.secrets.jwtSigningKeys,
        accessTokenTtlSeconds: config.gateway.accessTokenTtlSeconds,
        refreshTokenTtlSeconds: config.gateway.refreshTokenTtlSeconds,
        addressRateLimitScale: config.gateway.addressRateLimitScale,
        // ListInstruments without a venue asks the venues this node trades on.
        ...(options.trading?.venues === undefined ? {} : { venues: options.trading.venues }),
      });
    }
    const withGateway = gateway;
    http = await startNodeHttpServer({
      host: config.gateway.httpHost,
      port: config.gateway.httpPort,
      metrics,
      logger,
      readiness: [
        { name: 'database', check: async () => void (await database.pool.query('SELECT 1')) },
        {
          name: 'cluster',
          check: () => {
            if (member.health !== 'healthy') throw new Error(`cluster membership is ${member.health}`);
            return Promise.resolve();
          },
        },
      ],
      ...(withGateway === undefined
        ? {}
        : {
            jsonRoutes: { '/.well-known/jwks.json': () => withGateway.jwks() },
            upgrade: (request, socket, head) => withGateway.handleUpgrade(request, socket, head),
          }),
    });
    if (gateway !== undefined) {
      grpc = await gateway.startGrpc(config.gateway.grpcHost, config.gateway.grpcPort);
      if (config.env === NinjaEnv.DEVELOPMENT) {
        await ensureDevelopmentOperator(gateway, {
          file: options.credentialsFile ?? defaultCredentialsFile(process.env),
          grpc: `${grpc.host}:${grpc.port}`,
          http: `http://${http.host}:${http.port}`,
          nodeId: config.nodeId,
          logger,
        });
      }
    }
  } catch (error) {
    logger.error({ err: error }, 'node failed to start; stopping what it started');
    await gateway?.close();
    await http?.close();
    await cluster?.stop();
    trading?.close();
    await database.close();
    throw error;
  }
  if (trading === undefined)
    throw new InternalError('the cluster node started without registering the trading kinds');
  const runningTrading = trading;

  const running = http;
  const runningCluster = cluster;
  const runningGateway = gateway;
  let stopping: Promise<void> | undefined;
  logger.info(
    {
      nodeId: config.nodeId,
      database: database.redactedUrl,
      dialect: database.dialect,
      http: `http://${running.host}:${running.port}`,
      grpc: grpc === undefined ? undefined : `${grpc.host}:${grpc.port}`,
      cluster: runningCluster.self?.address,
      roles: config.cluster.roles,
      startupMs: Math.round(performance.now() - startedAt),
    },
    'node ready',
  );
  return {
    config,
    database,
    http: running,
    metrics,
    cluster: runningCluster,
    trading: runningTrading,
    gateway: runningGateway,
    grpc,
    stop: () => {
      stopping ??= (async () => {
        logger.info({ nodeId: config.nodeId }, 'node stopping');
        try {
          await runningGateway?.close();
          runningTrading.stopActivation();
          await runningCluster.stop();
          runningTrading.close();
          await running.close();
        } finally {
          await database.close();
        }
        logger.info({ nodeId: config.nodeId }, 'node stopped');
      })();
      return stopping;
    },
  };
}
