import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../observability/index.ts';
import { ConfigError } from './config-error.ts';
import type { ConfigIssue } from './config-error.ts';
import { NinjaEnv } from './config-schema.ts';
import type { ParsedConfig } from './config-schema.ts';

/** The validated node configuration with every secret present. */
export interface Config extends Omit<ParsedConfig, 'secrets'> {
  readonly secrets: {
    /** PKCS#8 PEM Ed25519 private keys; the first signs new tokens, all verify. Never logged. */
    readonly jwtSigningKeys: readonly [string, ...string[]];
    /** 32-byte AES-256-GCM key for venue credentials at rest. Never logged. */
    readonly credentialEncryptionKey: Buffer;
  };
}

interface DevelopmentSecrets {
  readonly jwtSigningKey: string;
  readonly credentialEncryptionKey: string;
}

/**
 * Production refuses to start without its secrets and a database URL. Development and test
 * generate the missing secrets once, keep them in `<dataDir>/secrets/development.json` (mode 0600)
 * so tokens and encrypted credentials survive a restart, and log that they did.
 */
export function resolveSecrets(config: ParsedConfig, logger: Logger): Config {
  const issues: ConfigIssue[] = [];
  for (const [index, pem] of config.secrets.jwtSigningKeys.entries()) {
    const problem = checkEd25519Key(pem);
    if (problem !== undefined) {
      issues.push({
        field: `secrets.jwtSigningKeys.${index}`,
        source: 'env NINJA_JWT_SIGNING_KEYS',
        message: problem,
      });
    }
  }
  if (config.env === NinjaEnv.PRODUCTION) {
    if (config.database.url === undefined) {
      issues.push({ field: 'database.url', source: 'env DATABASE_URL', message: 'required in production' });
    }
    if (config.secrets.jwtSigningKeys.length === 0) {
      issues.push({
        field: 'secrets.jwtSigningKeys',
        source: 'env NINJA_JWT_SIGNING_KEYS',
        message: 'required in production (PKCS#8 PEM Ed25519 private key)',
      });
    }
    if (config.cluster.etcdEndpoints.length > 0 && config.cluster.tlsDir === undefined) {
      issues.push({
        field: 'cluster.tlsDir',
        source: 'env NINJA_TLS_DIR',
        message: 'required in production with etcd (the cluster CA and this node certificate)',
      });
    }
    if (config.secrets.credentialEncryptionKey === undefined) {
      issues.push({
        field: 'secrets.credentialEncryptionKey',
        source: 'env NINJA_CREDENTIAL_KEY',
        message: 'required in production (32 random bytes, base64)',
      });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);

  const [firstKey, ...otherKeys] = config.secrets.jwtSigningKeys;
  const explicitKey = config.secrets.credentialEncryptionKey;
  if (firstKey !== undefined && explicitKey !== undefined) {
    return {
      ...config,
      secrets: {
        jwtSigningKeys: [firstKey, ...otherKeys],
        credentialEncryptionKey: Buffer.from(explicitKey, 'base64'),
      },
    };
  }

  const dev = loadOrCreateDevelopmentSecrets(config.dataDir, logger);
  return {
    ...config,
    secrets: {
      jwtSigningKeys: firstKey === undefined ? [dev.jwtSigningKey] : [firstKey, ...otherKeys],
      credentialEncryptionKey: Buffer.from(explicitKey ?? dev.credentialEncryptionKey, 'base64'),
    },
  };
}

function checkEd25519Key(pem: string): string | undefined {
  try {
    const key = createPrivateKey(pem);
    return key.asymmetricKeyType === 'ed25519'
      ? undefined
      : `must be an Ed25519 key, got ${key.asymmetricKeyType ?? 'unknown'}`;
  } catch (error) {
    return `not a readable private key: ${(error as Error).message}`;
  }
}

function loadOrCreateDevelopmentSecrets(dataDir: string, logger: Logger): DevelopmentSecrets {
  const dir = join(dataDir, 'secrets');
  const file = join(dir, 'development.json');
  if (existsSync(file)) {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<DevelopmentSecrets>;
    if (typeof parsed.jwtSigningKey !== 'string' || typeof parsed.credentialEncryptionKey !== 'string') {
      throw new ConfigError([
        {
          field: 'secrets',
          source: file,
          message: 'development secrets file is damaged; delete it to regenerate',
        },
      ]);
    }
    return { jwtSigningKey: parsed.jwtSigningKey, credentialEncryptionKey: parsed.credentialEncryptionKey };
  }
  const { privateKey } = generateKeyPairSync('ed25519');
  const secrets: DevelopmentSecrets = {
    jwtSigningKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    credentialEncryptionKey: randomBytes(32).toString('base64'),
  };
  // The data directory stays traversable: as root, the embedded PostgreSQL runs as its own OS user
  // and must reach its folder beside this one. Only the secrets folder is private.
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  logger.warn(
    { file },
    'generated development secrets (JWT signing key, credential encryption key); production requires NINJA_JWT_SIGNING_KEYS and NINJA_CREDENTIAL_KEY',
  );
  return secrets;
}
