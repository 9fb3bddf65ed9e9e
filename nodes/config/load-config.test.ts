import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../observability/index.ts';
import { ConfigError } from './config-error.ts';
import { loadConfig } from './load-config.ts';
import { resolveSecrets } from './resolve-secrets.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ninja-config-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function capture(): { logger: ReturnType<typeof createLogger>; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), lines };
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives a development node on loopback by default', () => {
    const config = loadConfig({ env: {}, cwd: '/srv/gekko' });
    expect(config.env).toBe('development');
    expect(config.gateway).toEqual({
      grpcHost: '127.0.0.1',
      grpcPort: 50051,
      httpHost: '127.0.0.1',
      httpPort: 8080,
      accessTokenTtlSeconds: 300,
      refreshTokenTtlSeconds: 2_592_000,
      addressRateLimitScale: 1,
    });
    expect(config.database.url).toBeUndefined();
    expect(config.dataDir).toBe('/srv/gekko/.data');
  });

  it('lets the environment override the file, and the file override the defaults', () => {
    const dir = tempDir();
    const file = join(dir, 'node.json');
    writeFileSync(file, JSON.stringify({ logLevel: 'debug', gateway: { grpcPort: 6000, httpPort: 6001 } }));
    const config = loadConfig({ env: { NINJA_CONFIG_FILE: file, NINJA_GRPC_PORT: '7000' } });
    expect(config.logLevel).toBe('debug');
    expect(config.gateway.grpcPort).toBe(7000);
    expect(config.gateway.httpPort).toBe(6001);
    expect(config.gateway.grpcHost).toBe('127.0.0.1');
  });

  it('renices helper threads to 19 unless told (NINJA_HELPER_THREADS_NICE; 0 leaves them)', () => {
    expect(loadConfig({ env: {} }).helperThreadsNice).toBe(19);
    expect(loadConfig({ env: { NINJA_HELPER_THREADS_NICE: '0' } }).helperThreadsNice).toBe(0);
    expect(() => loadConfig({ env: { NINJA_HELPER_THREADS_NICE: '25' } })).toThrow(/helperThreadsNice/);
  });

  it('names the field and the variable of a malformed number', () => {
    const error = configError(() => loadConfig({ env: { NINJA_GRPC_PORT: '50o51' } }));
    expect(error.field).toBe('gateway.grpcPort');
    expect(error.message).toContain('NINJA_GRPC_PORT');
    expect(error.message).toContain('"50o51"');
  });

  it('reports every invalid field at once, with the value it got', () => {
    const error = configError(() =>
      loadConfig({ env: { NINJA_HTTP_PORT: '70000', NINJA_LOG_LEVEL: 'loud', NINJA_NODE_ID: 'Node 1' } }),
    );
    expect(error.issues.map((i) => i.field).sort()).toEqual(['gateway.httpPort', 'logLevel', 'nodeId']);
    expect(error.message).toContain('got 70000');
    expect(error.message).toContain('env NINJA_LOG_LEVEL');
  });

  it('refuses unknown keys and unreadable files', () => {
    const dir = tempDir();
    const file = join(dir, 'node.json');
    writeFileSync(file, JSON.stringify({ gateway: { grpcPrt: 1 } }));
    expect(configError(() => loadConfig({ env: {}, file })).message).toMatch(/gateway.*grpcPrt/s);
    writeFileSync(file, '{ not json');
    expect(configError(() => loadConfig({ env: {}, file })).message).toContain('not valid JSON');
    expect(configError(() => loadConfig({ env: {}, file: join(dir, 'missing.json') })).field).toBe(
      'configFile',
    );
  });

  it('does not echo a malformed database URL, which may hold a password', () => {
    const error = configError(() => loadConfig({ env: { DATABASE_URL: 'mysql://u:hunter2@h/db' } }));
    expect(error.field).toBe('database.url');
    expect(error.message).not.toContain('hunter2');
  });
});

describe('cluster configuration', () => {
  it('is a one-node cluster with every role by default', () => {
    const { cluster } = loadConfig({ env: {} });
    expect(cluster).toEqual({
      name: 'ninja',
      roles: ['gateway', 'trading', 'venue', 'strategy'],
      listen: '127.0.0.1:0',
      etcdEndpoints: [],
      ttlSeconds: 2,
    });
  });

  it('reads comma-separated roles and etcd endpoints from the environment', () => {
    const { cluster } = loadConfig({
      env: {
        NINJA_ROLES: 'trading, venue',
        NINJA_ETCD_ENDPOINTS: 'http://127.0.0.1:2379,http://127.0.0.1:2380',
        NINJA_CLUSTER_LISTEN: '127.0.0.1:7001',
        NINJA_CLUSTER_NAME: 'prod',
        NINJA_MEMBER_TTL_SECONDS: '3',
        NINJA_TLS_DIR: '/etc/gekko/tls',
      },
    });
    expect(cluster).toEqual({
      name: 'prod',
      roles: ['trading', 'venue'],
      listen: '127.0.0.1:7001',
      etcdEndpoints: ['http://127.0.0.1:2379', 'http://127.0.0.1:2380'],
      ttlSeconds: 3,
      tlsDir: '/etc/gekko/tls',
    });
  });

  it('refuses an unknown role and a malformed etcd URL, naming each variable', () => {
    const error = configError(() =>
      loadConfig({ env: { NINJA_ROLES: 'trading,banker', NINJA_ETCD_ENDPOINTS: 'etcd:2379' } }),
    );
    expect(error.message).toContain('env NINJA_ROLES');
    expect(error.message).toContain('env NINJA_ETCD_ENDPOINTS');
  });

  it('requires the TLS directory in production with etcd', () => {
    const { logger } = capture();
    const config = loadConfig({
      env: { NINJA_ENV: 'production', NINJA_ETCD_ENDPOINTS: 'http://127.0.0.1:2379' },
      cwd: tempDir(),
    });
    const error = configError(() => resolveSecrets(config, logger));
    expect(error.issues.map((i) => i.field)).toContain('cluster.tlsDir');
    expect(error.message).toContain('NINJA_TLS_DIR');
  });
});

describe('trading configuration', () => {
  it('trades on every built-in venue unless NINJA_TRADING_VENUES lists some', () => {
    expect(loadConfig({ env: {} }).trading.venues).toBeUndefined();
    expect(loadConfig({ env: { NINJA_TRADING_VENUES: 'binanceus, paper' } }).trading.venues).toEqual([
      'binanceus',
      'paper',
    ]);
  });

  it('refuses a malformed venue id, naming the variable', () => {
    const error = configError(() => loadConfig({ env: { NINJA_TRADING_VENUES: 'binance.us' } }));
    expect(error.field).toBe('trading.venues.0');
    expect(error.message).toContain('env NINJA_TRADING_VENUES');
  });
});

describe('resolveSecrets', () => {
  it('refuses to start production without its secrets and database, naming each', () => {
    const { logger } = capture();
    const config = loadConfig({ env: { NINJA_ENV: 'production' }, cwd: tempDir() });
    const error = configError(() => resolveSecrets(config, logger));
    expect(error.issues.map((i) => i.field).sort()).toEqual([
      'database.url',
      'secrets.credentialEncryptionKey',
      'secrets.jwtSigningKeys',
    ]);
    expect(error.message).toContain('NINJA_CREDENTIAL_KEY');
  });

  it('starts production when every secret is given, and generates nothing', () => {
    const { logger, lines } = capture();
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const key = randomBytes(32).toString('base64');
    const config = loadConfig({
      env: {
        NINJA_ENV: 'production',
        DATABASE_URL: 'postgresql://gekko:pw@db.internal:26257/gekko',
        NINJA_JWT_SIGNING_KEYS: pem,
        NINJA_CREDENTIAL_KEY: key,
      },
      cwd: tempDir(),
    });
    const resolved = resolveSecrets(config, logger);
    expect(resolved.secrets.jwtSigningKeys).toEqual([pem.trim()]);
    expect(resolved.secrets.credentialEncryptionKey.toString('base64')).toBe(key);
    expect(lines).toEqual([]);
  });

  it('rejects a signing key that is not Ed25519', () => {
    const { logger } = capture();
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const config = loadConfig({ env: { NINJA_JWT_SIGNING_KEYS: rsa }, cwd: tempDir() });
    expect(configError(() => resolveSecrets(config, logger)).message).toContain('must be an Ed25519 key');
  });

  it('rejects a credential key of the wrong length', () => {
    const error = configError(() =>
      loadConfig({ env: { NINJA_CREDENTIAL_KEY: randomBytes(16).toString('base64') } }),
    );
    expect(error.field).toBe('secrets.credentialEncryptionKey');
    expect(error.message).not.toContain('base64,');
  });

  it('generates development secrets once, says so, and reuses them', () => {
    const dataDir = tempDir();
    const first = capture();
    const a = resolveSecrets(loadConfig({ env: { NINJA_DATA_DIR: dataDir } }), first.logger);
    expect(first.lines.join('')).toContain('generated development secrets');
    expect(first.lines.join('')).not.toContain('PRIVATE KEY');
    expect(statSync(join(dataDir, 'secrets', 'development.json')).mode & 0o777).toBe(0o600);

    const second = capture();
    const b = resolveSecrets(loadConfig({ env: { NINJA_DATA_DIR: dataDir } }), second.logger);
    expect(second.lines).toEqual([]);
    expect(b.secrets.jwtSigningKeys).toEqual(a.secrets.jwtSigningKeys);
    expect(b.secrets.credentialEncryptionKey.equals(a.secrets.credentialEncryptionKey)).toBe(true);
  });
});

describe('live venue sections', () => {
  it('connects no live venue unless configured, and fills in the production endpoints', () => {
    expect(loadConfig({ env: {} }).venues).toEqual({});
    const config = loadConfig({
      env: {
        NINJA_BINANCEUS_API_KEY: 'key-1',
        NINJA_BINANCEUS_API_SECRET: 'secret-1',
        NINJA_BINANCEUS_SYMBOLS: 'BTCUSD, ETHUSD',
        NINJA_OANDA_ACCOUNT_ID: '101-004-1435156-001',
        NINJA_OANDA_TOKEN: 'token-123456',
      },
    });
    expect(config.venues.binanceus).toMatchObject({
      restUrl: 'https://api.binance.us',
      wsUrl: 'wss://stream.binance.us:9443',
      symbols: ['BTCUSD', 'ETHUSD'],
    });
    expect(config.venues.oanda?.environment).toBe('practice');
    expect(config.venues.coinbase).toBeUndefined();
  });

  it('names each missing credential and where to set it, and never echoes a secret', () => {
    const error = configError(() =>
      loadConfig({
        env: {
          NINJA_BINANCEUS_API_SECRET: 'do-not-print-me',
          NINJA_BINANCEUS_REST_URL: 'ftp://api.binance.us',
          NINJA_OANDA_TOKEN: 'has whitespace in it',
        },
      }),
    );
    const fields = error.issues.map((i) => i.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'venues.binanceus.apiKey',
        'venues.binanceus.symbols',
        'venues.binanceus.restUrl',
        'venues.oanda.token',
        'venues.oanda.accountId',
      ]),
    );
    expect(error.issues.find((i) => i.field === 'venues.binanceus.apiKey')?.source).toBe(
      'env NINJA_BINANCEUS_API_KEY or the config file',
    );
    expect(error.message).not.toContain('do-not-print-me');
    expect(error.message).not.toContain('has whitespace');
    expect(error.message).toContain('ftp://api.binance.us');
  });
});
