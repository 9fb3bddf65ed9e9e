import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ZodError } from 'zod';
import { ConfigError } from './config-error.ts';
import type { ConfigIssue } from './config-error.ts';
import { configSchema } from './config-schema.ts';
import type { ParsedConfig } from './config-schema.ts';
import { DEFAULT_HELPER_THREADS_NICE } from '../helper-threads.ts';

type ValueKind = 'string' | 'int' | 'list' | 'pem-list';

interface EnvBinding {
  readonly env: string;
  readonly path: readonly [string, ...string[]];
  readonly kind: ValueKind;
  /** Never echo the value in an error message. */
  readonly secret?: boolean;
}

/** Every environment variable the node reads, and the config field it sets. Environment beats file. */
export const ENV_BINDINGS: readonly EnvBinding[] = [
  { env: 'NINJA_ENV', path: ['env'], kind: 'string' },
  { env: 'NINJA_NODE_ID', path: ['nodeId'], kind: 'string' },
  { env: 'NINJA_LOG_LEVEL', path: ['logLevel'], kind: 'string' },
  { env: 'NINJA_HELPER_THREADS_NICE', path: ['helperThreadsNice'], kind: 'int' },
  { env: 'NINJA_DATA_DIR', path: ['dataDir'], kind: 'string' },
  { env: 'DATABASE_URL', path: ['database', 'url'], kind: 'string', secret: true },
  { env: 'NINJA_DB_EMBEDDED_PORT', path: ['database', 'embeddedPort'], kind: 'int' },
  { env: 'NINJA_DB_POOL_MAX', path: ['database', 'poolMax'], kind: 'int' },
  { env: 'NINJA_DB_STATEMENT_TIMEOUT_MS', path: ['database', 'statementTimeoutMs'], kind: 'int' },
  { env: 'NINJA_GRPC_HOST', path: ['gateway', 'grpcHost'], kind: 'string' },
  { env: 'NINJA_GRPC_PORT', path: ['gateway', 'grpcPort'], kind: 'int' },
  { env: 'NINJA_HTTP_HOST', path: ['gateway', 'httpHost'], kind: 'string' },
  { env: 'NINJA_HTTP_PORT', path: ['gateway', 'httpPort'], kind: 'int' },
  { env: 'NINJA_ACCESS_TOKEN_TTL_SECONDS', path: ['gateway', 'accessTokenTtlSeconds'], kind: 'int' },
  { env: 'NINJA_REFRESH_TOKEN_TTL_SECONDS', path: ['gateway', 'refreshTokenTtlSeconds'], kind: 'int' },
  { env: 'NINJA_ADDRESS_RATE_LIMIT_SCALE', path: ['gateway', 'addressRateLimitScale'], kind: 'int' },
  { env: 'NINJA_CLUSTER_NAME', path: ['cluster', 'name'], kind: 'string' },
  { env: 'NINJA_ROLES', path: ['cluster', 'roles'], kind: 'list' },
  { env: 'NINJA_CLUSTER_LISTEN', path: ['cluster', 'listen'], kind: 'string' },
  { env: 'NINJA_ETCD_ENDPOINTS', path: ['cluster', 'etcdEndpoints'], kind: 'list' },
  { env: 'NINJA_MEMBER_TTL_SECONDS', path: ['cluster', 'ttlSeconds'], kind: 'int' },
  { env: 'NINJA_TLS_DIR', path: ['cluster', 'tlsDir'], kind: 'string' },
  { env: 'NINJA_TRADING_VENUES', path: ['trading', 'venues'], kind: 'list' },
  { env: 'NINJA_BINANCEUS_REST_URL', path: ['venues', 'binanceus', 'restUrl'], kind: 'string' },
  { env: 'NINJA_BINANCEUS_WS_URL', path: ['venues', 'binanceus', 'wsUrl'], kind: 'string' },
  { env: 'NINJA_BINANCEUS_API_KEY', path: ['venues', 'binanceus', 'apiKey'], kind: 'string', secret: true },
  {
    env: 'NINJA_BINANCEUS_API_SECRET',
    path: ['venues', 'binanceus', 'apiSecret'],
    kind: 'string',
    secret: true,
  },
  { env: 'NINJA_BINANCEUS_SYMBOLS', path: ['venues', 'binanceus', 'symbols'], kind: 'list' },
  { env: 'NINJA_COINBASE_REST_URL', path: ['venues', 'coinbase', 'restUrl'], kind: 'string' },
  { env: 'NINJA_COINBASE_WS_MARKET_URL', path: ['venues', 'coinbase', 'wsMarketUrl'], kind: 'string' },
  { env: 'NINJA_COINBASE_WS_USER_URL', path: ['venues', 'coinbase', 'wsUserUrl'], kind: 'string' },
  { env: 'NINJA_COINBASE_KEY_NAME', path: ['venues', 'coinbase', 'keyName'], kind: 'string' },
  {
    env: 'NINJA_COINBASE_PRIVATE_KEY',
    path: ['venues', 'coinbase', 'privateKey'],
    kind: 'string',
    secret: true,
  },
  { env: 'NINJA_COINBASE_PRODUCTS', path: ['venues', 'coinbase', 'products'], kind: 'list' },
  { env: 'NINJA_OANDA_ENVIRONMENT', path: ['venues', 'oanda', 'environment'], kind: 'string' },
  { env: 'NINJA_OANDA_REST_URL', path: ['venues', 'oanda', 'restUrl'], kind: 'string' },
  { env: 'NINJA_OANDA_STREAM_URL', path: ['venues', 'oanda', 'streamUrl'], kind: 'string' },
  { env: 'NINJA_OANDA_ACCOUNT_ID', path: ['venues', 'oanda', 'accountId'], kind: 'string' },
  { env: 'NINJA_OANDA_TOKEN', path: ['venues', 'oanda', 'token'], kind: 'string', secret: true },
  { env: 'NINJA_JWT_SIGNING_KEYS', path: ['secrets', 'jwtSigningKeys'], kind: 'pem-list', secret: true },
  { env: 'NINJA_CREDENTIAL_KEY', path: ['secrets', 'credentialEncryptionKey'], kind: 'string', secret: true },
];

/** Defaults of a development node: everything on loopback, state under ./.data. */
export function defaultConfig(): Record<string, unknown> {
  return {
    env: 'development',
    nodeId: 'node-1',
    logLevel: 'info',
    helperThreadsNice: DEFAULT_HELPER_THREADS_NICE,
    dataDir: '.data',
    database: { embeddedPort: 0, poolMax: 10, statementTimeoutMs: 30_000 },
    gateway: {
      grpcHost: '127.0.0.1',
      grpcPort: 50051,
      httpHost: '127.0.0.1',
      httpPort: 8080,
      accessTokenTtlSeconds: 300,
      refreshTokenTtlSeconds: 30 * 86_400,
      addressRateLimitScale: 1,
    },
    cluster: {
      name: 'ninja',
      roles: ['gateway', 'trading', 'venue', 'strategy'],
      listen: '127.0.0.1:0',
      etcdEndpoints: [],
      ttlSeconds: 2,
    },
    trading: {},
    venues: {},
    secrets: { jwtSigningKeys: [] },
  };
}

export interface LoadConfigOptions {
  readonly env: NodeJS.ProcessEnv;
  /** A JSON file with any subset of the configuration; `NINJA_CONFIG_FILE` names it when this is absent. */
  readonly file?: string;
  /** Base for a relative dataDir; the process working directory by default. */
  readonly cwd?: string;
}

/**
 * Reads defaults, then the optional JSON file, then the environment, and validates the result.
 * Throws a ConfigError listing every invalid field with the variable or file it came from.
 */
export function loadConfig(options: LoadConfigOptions): ParsedConfig {
  const issues: ConfigIssue[] = [];
  const merged = defaultConfig();
  const sources = new Map<string, string>();

  const file = options.file ?? nonEmpty(options.env['NINJA_CONFIG_FILE']);
  if (file !== undefined) {
    const fromFile = readConfigFile(file, issues);
    if (fromFile !== undefined) deepMerge(merged, fromFile, [], sources, `file ${file}`);
  }

  for (const binding of ENV_BINDINGS) {
    const raw = options.env[binding.env];
    if (raw === undefined || raw === '') continue;
    const value = convert(raw, binding, issues);
    if (value === undefined) continue;
    setPath(merged, binding.path, value);
    sources.set(binding.path.join('.'), `env ${binding.env}`);
  }
  if (issues.length > 0) throw new ConfigError(issues);

  const result = configSchema.safeParse(merged);
  if (!result.success) throw new ConfigError(zodIssues(result.error, sources, merged));
  return { ...result.data, dataDir: resolve(options.cwd ?? process.cwd(), result.data.dataDir) };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function readConfigFile(file: string, issues: ConfigIssue[]): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    issues.push({ field: 'configFile', source: file, message: `cannot read: ${(error as Error).message}` });
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    issues.push({
      field: 'configFile',
      source: file,
      message: `not valid JSON: ${(error as Error).message}`,
    });
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    issues.push({ field: 'configFile', source: file, message: 'must hold a JSON object' });
    return undefined;
  }
  return parsed as Record<string, unknown>;
}

function convert(raw: string, binding: EnvBinding, issues: ConfigIssue[]): unknown {
  const field = binding.path.join('.');
  switch (binding.kind) {
    case 'string':
      return raw;
    case 'int':
      if (!/^\d{1,9}$/.test(raw)) {
        issues.push({
          field,
          source: `env ${binding.env}`,
          message: `expected a whole number, got "${raw}"`,
        });
        return undefined;
      }
      return Number.parseInt(raw, 10);
    case 'list':
      return raw
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0);
    case 'pem-list': {
      const keys = raw.match(/-----BEGIN [A-Z ]+-----[\s\S]+?-----END [A-Z ]+-----/g);
      if (keys === null) {
        issues.push({ field, source: `env ${binding.env}`, message: 'expected one or more PEM blocks' });
        return undefined;
      }
      return keys;
    }
  }
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next === 'object' && next !== null && !Array.isArray(next)) {
      node = next as Record<string, unknown>;
    } else {
      const created: Record<string, unknown> = {};
      node[key] = created;
      node = created;
    }
  }
  node[path[path.length - 1] as string] = value;
}

function deepMerge(
  target: Record<string, unknown>,
  source: Record<string, unknown>,
  path: string[],
  sources: Map<string, string>,
  label: string,
): void {
  for (const [key, value] of Object.entries(source)) {
    const here = [...path, key];
    const existing = target[key];
    if (
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      typeof existing === 'object' &&
      existing !== null &&
      !Array.isArray(existing)
    ) {
      deepMerge(existing as Record<string, unknown>, value as Record<string, unknown>, here, sources, label);
    } else {
      target[key] = value;
      sources.set(here.join('.'), label);
    }
  }
}

function zodIssues(
  error: ZodError,
  sources: Map<string, string>,
  merged: Record<string, unknown>,
): ConfigIssue[] {
  return error.issues.map((issue) => {
    const field = issue.path.map(String).join('.') || 'config';
    let source = sources.get(field);
    // Array items and unknown keys report their parent's source.
    for (let cut = issue.path.length - 1; source === undefined && cut > 0; cut -= 1) {
      source = sources.get(issue.path.slice(0, cut).map(String).join('.'));
    }
    const binding = ENV_BINDINGS.find((b) => b.path.join('.') === field);
    const shown = binding?.secret === true ? undefined : valueAt(merged, issue.path);
    const got = shown === undefined ? '' : `, got ${JSON.stringify(shown)}`;
    // A required field nobody set: say where it can be set rather than blaming the defaults.
    const unset = valueAt(merged, issue.path) === undefined && sources.get(field) === undefined;
    if (unset && binding !== undefined) {
      return { field, source: `env ${binding.env} or the config file`, message: 'required, not set' };
    }
    return { field, source: source ?? 'defaults', message: `${issue.message}${got}` };
  });
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return typeof node === 'object' ? undefined : node;
}
