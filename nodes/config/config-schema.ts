import { z } from 'zod';
import { BINANCE_US_REST_URL, BINANCE_US_WS_URL } from '../../venues/binanceus/common/urls.ts';
import {
  COINBASE_REST_URL,
  COINBASE_WS_MARKET_URL,
  COINBASE_WS_USER_URL,
} from '../../venues/coinbase/common/urls.ts';

/** Deployment environment. Production refuses to start without its secrets. */
export const NinjaEnv = { DEVELOPMENT: 'development', TEST: 'test', PRODUCTION: 'production' } as const;
export type NinjaEnv = (typeof NinjaEnv)[keyof typeof NinjaEnv];

const port = z.number().int().min(0).max(65_535);
const host = z.string().min(1).max(253);
/** The roles of cluster/kinds.ts (kept literal here so config parsing does not load the cluster layer). */
const nodeRole = z.enum(['gateway', 'trading', 'venue', 'strategy']);

const httpUrl = z
  .string()
  .regex(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, 'must be an http(s)://host[:port][/path] URL');
const wsUrl = z
  .string()
  .regex(/^wss?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, 'must be a ws(s)://host[:port][/path] URL');
const venueSymbols = z
  .array(z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'a venue symbol: letters, digits, "_" or "-"'))
  .min(1, 'name at least one');

/**
 * A live venue connection: the firm's own API credentials at that venue (one connection per venue
 * in the cluster, held by the `venue/<venue>` actor; our accounts trade through it). A venue is
 * connected when its section is present; the URLs default to the venue's production endpoints.
 */
const venuesSchema = z.strictObject({
  binanceus: z
    .strictObject({
      restUrl: httpUrl.default(BINANCE_US_REST_URL),
      wsUrl: wsUrl.default(BINANCE_US_WS_URL),
      apiKey: z.string().min(1, 'required'),
      apiSecret: z.string().min(1, 'required'),
      /** Symbols whose market data the connector streams, e.g. BTCUSD. */
      symbols: venueSymbols,
    })
    .optional(),
  coinbase: z
    .strictObject({
      restUrl: httpUrl.default(COINBASE_REST_URL),
      wsMarketUrl: wsUrl.default(COINBASE_WS_MARKET_URL),
      wsUserUrl: wsUrl.default(COINBASE_WS_USER_URL),
      /** CDP API key name, `organizations/<org>/apiKeys/<id>`. */
      keyName: z.string().min(1, 'required'),
      /** The CDP key's private key, PEM (ECDSA P-256 or Ed25519). */
      privateKey: z.string().includes('PRIVATE KEY', { message: 'must be a PEM private key' }),
      /** Products to trade, e.g. BTC-USD. */
      products: venueSymbols,
    })
    .optional(),
  oanda: z
    .strictObject({
      /** Which OANDA division the default URLs point at (fxPractice or fxTrade). */
      environment: z.enum(['practice', 'live']).default('practice'),
      restUrl: httpUrl.optional(),
      streamUrl: httpUrl.optional(),
      accountId: z.string().regex(/^\d{3}-\d{3}-\d+-\d{3}$/, 'must look like 101-004-1435156-001'),
      token: z.string().regex(/^\S{8,}$/, 'must be a token of at least 8 characters without whitespace'),
    })
    .optional(),
});

/** The node configuration, as read from a file and the environment, before secrets are resolved. */
export const configSchema = z.strictObject({
  env: z.enum([NinjaEnv.DEVELOPMENT, NinjaEnv.TEST, NinjaEnv.PRODUCTION]),
  nodeId: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and "-", at most 63 characters'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  /**
   * Nice value for every thread but the event loop's (V8's compiler and GC helpers, libuv's pool),
   * set once the node has started (nodes/helper-threads.ts, Linux only); default 19, which keeps
   * helpers from preempting the event loop on a node with few cores (docs/remoting.md, session 10);
   * 0 leaves them as the process made them.
   */
  helperThreadsNice: z.number().int().min(-20).max(19).optional(),
  /** Where the node keeps local state: embedded database, development secrets. */
  dataDir: z.string().min(1),
  database: z.strictObject({
    /** postgres:// or postgresql:// URL of CockroachDB or PostgreSQL; absent → embedded PostgreSQL. */
    url: z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    /** Port of the embedded PostgreSQL; 0 picks a free loopback port. */
    embeddedPort: port,
    poolMax: z.number().int().min(1).max(500),
    statementTimeoutMs: z.number().int().min(100).max(3_600_000),
  }),
  gateway: z.strictObject({
    grpcHost: host,
    grpcPort: port,
    httpHost: host,
    httpPort: port,
    /** Lifetime of a JWT access token; also how long a rotated-out signing key must stay listed. */
    accessTokenTtlSeconds: z.number().int().min(30).max(3_600),
    /** Lifetime of a refresh token (one login without re-entering the password). */
    refreshTokenTtlSeconds: z
      .number()
      .int()
      .min(300)
      .max(90 * 86_400),
    /**
     * Multiplies the per-source-address limits of Register, Login, Refresh and Logout: tests and
     * load tests run every client from one address. Per-principal and per-account limits stay.
     */
    addressRateLimitScale: z.number().int().min(1).max(10_000),
  }),
  cluster: z.strictObject({
    /** Names the cluster: etcd keys live under `/ninja/<name>/`; peers of another cluster are refused. */
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lower-case letters, digits, "_" and "-"'),
    /** What this node hosts; placement gives it only the kinds accepting one of these. */
    roles: z.array(nodeRole).min(1),
    /** `host:port` of the mutual-TLS cluster transport; port 0 picks a free one. */
    listen: z.string().regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'must be host:port'),
    /** etcd client URLs; none → a one-node cluster with static membership. */
    etcdEndpoints: z.array(z.string().regex(/^https?:\/\/[^/\s]+\/?$/, 'must be an http(s)://host:port URL')),
    /** Member lease TTL in whole seconds. */
    ttlSeconds: z.number().int().min(1).max(300),
    /** CA and node certificates (see `gekko certs init`); default `<dataDir>/tls`, created in development. */
    tlsDir: z.string().min(1).optional(),
  }),
  trading: z.strictObject({
    /**
     * Venues this node's order managers trade on and reconcile with, e.g. only those the cluster
     * hosts connectors for; absent → every built-in venue (paper, binanceus, coinbase, oanda).
     */
    venues: z
      .array(z.string().regex(/^[a-z][a-z0-9]{1,31}$/, 'a venue id: 2 to 32 lower-case letters or digits'))
      .min(1)
      .optional(),
  }),
  venues: venuesSchema,
  secrets: z.strictObject({
    /** Ed25519 private key(s) for access tokens, PKCS#8 PEM; the first signs, all verify. */
    jwtSigningKeys: z.array(
      z.string().includes('PRIVATE KEY', { message: 'must be a PKCS#8 PEM private key' }),
    ),
    /** AES-256-GCM key for venue credentials at rest: 32 bytes, base64. */
    credentialEncryptionKey: z
      .string()
      .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes encoded as base64')
      .optional(),
  }),
});

export type ConfigInput = z.input<typeof configSchema>;
export type ParsedConfig = z.output<typeof configSchema>;
