import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type pg from 'pg';
import type { ClusterNode } from '../cluster/index.ts';
import type { Logger, MetricsRegistry } from '../observability/index.ts';
import { Dispatcher } from './api/dispatcher.ts';
import { gatewayMetrics } from './api/gateway-metrics.ts';
import { fullNameOf } from './api/method-definition.ts';
import type { GatewayMethod } from './api/method-definition.ts';
import { PrincipalLimiter } from './api/principal-limiter.ts';
import { AuditLog } from './audit/audit-log.ts';
import { Auditor } from './audit/auditor.ts';
import { AccessTokens } from './auth/access-tokens.ts';
import { ApiKeys } from './auth/api-keys.ts';
import { Authenticator } from './auth/authenticator.ts';
import { PasswordHasher } from './auth/password-hasher.ts';
import { RefreshTokens } from './auth/refresh-tokens.ts';
import { Sessions } from './auth/sessions.ts';
import type { EventMeta, SessionEvent } from './auth/sessions.ts';
import { SigningKeyring } from './auth/signing-keys.ts';
import { UserStore } from './auth/user-store.ts';
import { startGrpcGatewayServer } from './grpc/grpc-gateway-server.ts';
import type { GrpcGatewayServer } from './grpc/grpc-gateway-server.ts';
import { Venues } from '../domain/index.ts';
import { clusterMethods } from './services/cluster-methods.ts';
import { DEFAULT_SLOW_CLIENT_POLICY } from './streams/client-stream.ts';
import type { SlowClientPolicy } from './streams/client-stream.ts';
import { FanoutHub } from './streams/fanout-hub.ts';
import { AccountDirectory } from './services/account-directory.ts';
import { accountMethods } from './services/account-methods.ts';
import { authMethods } from './services/auth-methods.ts';
import type { GatewayServices } from './services/gateway-services.ts';
import { marketDataMethods } from './services/market-data-methods.ts';
import { tradingMethods } from './services/trading-methods.ts';
import { OrderListing } from './services/order-listing.ts';
import { router } from '../nodes/routing.ts';
import { WsGateway } from './ws/ws-gateway.ts';

export interface GatewayOptions {
  readonly pool: pg.Pool;
  readonly cluster: ClusterNode;
  readonly metrics: MetricsRegistry;
  readonly logger: Logger;
  /** PKCS#8 PEM Ed25519 keys; the first signs (config secrets.jwtSigningKeys). */
  readonly signingKeys: readonly [string, ...string[]];
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  /** Multiplies the per-source-address limits of the public methods (config gateway.addressRateLimitScale). */
  readonly addressRateLimitScale: number;
  /** The venues ListInstruments asks when a request names none. Default: every venue with an adapter. */
  readonly venues?: readonly string[];
  /** When a market data client counts as too slow. Default DEFAULT_SLOW_CLIENT_POLICY. */
  readonly slowClientPolicy?: SlowClientPolicy;
}

/**
 * The client gateway of one node: auth core, method table, dispatcher, and the two transports
 * (gRPC via `startGrpc`, WebSocket via `handleUpgrade` on the node's HTTP server).
 */
export class Gateway {
  readonly keyring: SigningKeyring;
  readonly sessions: Sessions;
  readonly apiKeys: ApiKeys;
  readonly accessTokens: AccessTokens;
  readonly accounts: AccountDirectory;
  readonly users: UserStore;
  readonly methods: ReadonlyMap<string, GatewayMethod>;
  /** Market data fan-out: one book subscription per instrument, shared by every client stream. */
  readonly streams: FanoutHub;
  private readonly dispatcher: Dispatcher;
  private readonly ws: WsGateway;
  private grpc: GrpcGatewayServer | undefined;

  private constructor(
    private readonly options: GatewayOptions,
    keyring: SigningKeyring,
  ) {
    const logger = options.logger.child({ component: 'gateway' });
    const metrics = gatewayMetrics(options.metrics);
    this.keyring = keyring;
    this.accessTokens = new AccessTokens(keyring, { lifetimeSeconds: options.accessTokenTtlSeconds });
    this.apiKeys = new ApiKeys(options.pool, (error, keyId) =>
      logger.warn({ err: error, keyId }, 'API key last_used_at not written'),
    );
    const auditor = new Auditor(new AuditLog(options.pool), logger, metrics.auditFailures);
    const onEvent = async (event: SessionEvent, meta: EventMeta) => {
      if (event.action === 'auth.refresh_reuse' || event.action === 'auth.login_failed') {
        metrics.securityEvents.inc({ event: event.action });
      }
      const { action, userId, ...details } = event;
      await auditor.record({
        userId,
        actor: userId === undefined ? 'anonymous' : 'user',
        action,
        details: { ...details, source: meta.sourceAddress ?? null },
        correlationId: meta.correlationId,
      });
    };
    this.users = new UserStore(options.pool);
    this.sessions = new Sessions({
      users: this.users,
      hasher: new PasswordHasher(),
      accessTokens: this.accessTokens,
      refreshTokens: new RefreshTokens(options.pool, options.refreshTokenTtlSeconds),
      onEvent,
    });
    this.accounts = new AccountDirectory(options.pool);
    const limiter = new PrincipalLimiter(options.cluster);
    const services: GatewayServices = {
      sessions: this.sessions,
      apiKeys: this.apiKeys,
      limiter,
      auditor,
      accounts: this.accounts,
      cluster: options.cluster,
      router: router({ cluster: options.cluster, pool: options.pool, logger }),
      orderListing: new OrderListing(options.pool),
    };
    this.streams = new FanoutHub(
      options.cluster,
      options.metrics,
      logger,
      options.slowClientPolicy ?? DEFAULT_SLOW_CLIENT_POLICY,
    );
    const table = [
      ...authMethods(services),
      ...tradingMethods(services),
      ...marketDataMethods(services, {
        hub: this.streams,
        venues: options.venues ?? Object.values(Venues),
        venueListFailures: metrics.venueListFailures,
      }),
      ...accountMethods(services),
      ...clusterMethods({ cluster: options.cluster, auditor }),
    ];
    this.methods = new Map(table.map((method) => [fullNameOf(method), method]));
    const authenticator = new Authenticator(this.accessTokens, this.apiKeys);
    this.dispatcher = new Dispatcher({
      authenticator,
      limiter,
      metrics,
      logger,
      addressRateLimitScale: options.addressRateLimitScale,
    });
    this.ws = new WsGateway({
      dispatcher: this.dispatcher,
      methods: this.methods,
      authenticator,
      metrics,
      logger,
    });
  }

  static async create(options: GatewayOptions): Promise<Gateway> {
    return new Gateway(options, await SigningKeyring.fromPems(options.signingKeys));
  }

  /** Starts the gRPC endpoint (port 0 picks a free one). */
  async startGrpc(host: string, port: number): Promise<GrpcGatewayServer> {
    this.grpc = await startGrpcGatewayServer({
      host,
      port,
      dispatcher: this.dispatcher,
      methods: this.methods,
      logger: this.options.logger.child({ component: 'gateway' }),
    });
    return this.grpc;
  }

  /** For the node HTTP server's `upgrade` event (path /ws). */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    return this.ws.handleUpgrade(request, socket, head);
  }

  /** GET /.well-known/jwks.json */
  jwks(): unknown {
    return this.keyring.jwks();
  }

  async close(): Promise<void> {
    await Promise.all([this.grpc?.close(), this.ws.close()]);
  }
}
