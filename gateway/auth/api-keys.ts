import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { DataLossError, NotFoundError, UnauthenticatedError } from '../../domain/errors.ts';
import { addressAllowed } from './source-address.ts';
import { isRole, isScope } from './roles-and-scopes.ts';
import type { Role, Scope } from './roles-and-scopes.ts';
import { hashSecret, newSecret, sameHash } from './secret-hash.ts';

export interface ApiKeyRecord {
  readonly keyId: string;
  readonly userId: string;
  /** The owner's name for the key ('' when none was given). */
  readonly label: string;
  readonly scopes: readonly Scope[];
  /** Normalised `address/prefix` ranges; empty = any address. */
  readonly allowedIps: readonly string[];
  readonly createdAt: Date;
  readonly lastUsedAt: Date | undefined;
  readonly revokedAt: Date | undefined;
}

/** A key that authenticated a call, with its user's roles. */
export interface AuthenticatedKey {
  readonly record: ApiKeyRecord;
  readonly roles: readonly Role[];
}

interface KeyRow {
  key_id: string;
  user_id: string;
  label: string;
  secret_hash: string;
  permissions: string[];
  allowed_ips: string[] | null;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const KEY_COLUMNS =
  'k.key_id, k.user_id, k.label, k.secret_hash, k.permissions, k.allowed_ips::TEXT[] AS allowed_ips, k.created_at, k.last_used_at, k.revoked_at';
const KEY_ID = /^ngk_[0-9a-f]{16}$/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;

export interface ApiKeysOptions {
  /**
   * How long a looked-up key is trusted before the database is asked again; default 1 s. It bounds
   * how long a key revoked on another node still works here.
   */
  readonly cacheTtlMs?: number;
  /** last_used_at is written at most this often per key; default 60 s. */
  readonly lastUsedIntervalMs?: number;
  readonly now?: () => number;
}

interface CachedKey {
  readonly row: KeyRow;
  readonly roles: readonly Role[];
  readonly disabled: boolean;
  readonly loadedAtMs: number;
}

/**
 * API keys (api_keys): `<key_id>.<secret>`, the secret shown once and stored as a SHA-256 hash.
 * Lookups are cached per node for cacheTtlMs (1 s): a revocation on this node applies at once, on
 * every other node within cacheTtlMs.
 */
export class ApiKeys {
  private readonly cache = new Map<string, CachedKey>();
  private readonly lastUsedWrites = new Map<string, number>();
  private readonly cacheTtlMs: number;
  private readonly lastUsedIntervalMs: number;
  private readonly now: () => number;

  constructor(
    private readonly pool: pg.Pool,
    private readonly onBackgroundError: (error: unknown, keyId: string) => void,
    options: ApiKeysOptions = {},
  ) {
    this.cacheTtlMs = options.cacheTtlMs ?? 1_000;
    this.lastUsedIntervalMs = options.lastUsedIntervalMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  async create(
    userId: string,
    scopes: readonly Scope[],
    allowedIps: readonly string[],
    label = '',
  ): Promise<{ record: ApiKeyRecord; credential: string }> {
    const keyId = `ngk_${randomBytes(8).toString('hex')}`;
    const secret = newSecret();
    const result = await this.pool.query<KeyRow>(
      `INSERT INTO api_keys AS k (user_id, key_id, label, secret_hash, permissions, allowed_ips)
       VALUES ($1, $2, $3, $4, $5::TEXT[], $6::INET[]) RETURNING ${KEY_COLUMNS}`,
      [userId, keyId, label, hashSecret(secret), scopes, allowedIps.length === 0 ? null : allowedIps],
    );
    return { record: recordOf(requireRow(result.rows[0])), credential: `${keyId}.${secret}` };
  }

  async list(userId: string, includeRevoked: boolean): Promise<ApiKeyRecord[]> {
    const result = await this.pool.query<KeyRow>(
      `SELECT ${KEY_COLUMNS} FROM api_keys k WHERE k.user_id = $1 ${includeRevoked ? '' : 'AND k.revoked_at IS NULL'}
        ORDER BY k.created_at, k.key_id`,
      [userId],
    );
    return result.rows.map(recordOf);
  }

  /** NotFoundError unless `keyId` is one of the user's keys (another user's key is not revealed). */
  async revoke(userId: string, keyId: string): Promise<ApiKeyRecord> {
    const result = await this.pool.query<KeyRow>(
      `UPDATE api_keys AS k SET revoked_at = COALESCE(k.revoked_at, now())
        WHERE k.key_id = $1 AND k.user_id = $2 RETURNING ${KEY_COLUMNS}`,
      [keyId, userId],
    );
    this.cache.delete(keyId);
    const row = result.rows[0];
    if (row === undefined) throw new NotFoundError(`no API key ${keyId} of yours`);
    return recordOf(row);
  }

  /** The key a `<key_id>.<secret>` credential names, checked; UnauthenticatedError otherwise. */
  async authenticate(credential: string, sourceAddress: string | undefined): Promise<AuthenticatedKey> {
    const dot = credential.indexOf('.');
    const keyId = credential.slice(0, dot);
    const secret = credential.slice(dot + 1);
    if (dot < 0 || !KEY_ID.test(keyId) || !SECRET.test(secret)) {
      throw new UnauthenticatedError('malformed API key (expected <key_id>.<secret>)');
    }
    const cached = await this.lookup(keyId);
    if (cached === undefined || !sameHash(cached.row.secret_hash, hashSecret(secret))) {
      throw new UnauthenticatedError('unknown API key or wrong secret');
    }
    if (cached.row.revoked_at !== null) throw new UnauthenticatedError('API key is revoked');
    if (cached.disabled) throw new UnauthenticatedError('user is disabled');
    const record = recordOf(cached.row);
    if (!addressAllowed(sourceAddress, record.allowedIps)) {
      throw new UnauthenticatedError(`API key may not be used from ${sourceAddress ?? 'an unknown address'}`);
    }
    this.touch(keyId);
    return { record, roles: cached.roles };
  }

  private async lookup(keyId: string): Promise<CachedKey | undefined> {
    const now = this.now();
    const cached = this.cache.get(keyId);
    if (cached !== undefined && now - cached.loadedAtMs < this.cacheTtlMs) return cached;
    const result = await this.pool.query<KeyRow & { roles: string[]; disabled_at: Date | null }>(
      `SELECT ${KEY_COLUMNS}, u.roles, u.disabled_at FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.key_id = $1`,
      [keyId],
    );
    const row = result.rows[0];
    if (row === undefined) {
      this.cache.delete(keyId);
      return undefined;
    }
    const entry = {
      row,
      roles: row.roles.filter(isRole),
      disabled: row.disabled_at !== null,
      loadedAtMs: now,
    };
    if (this.cache.size >= 10_000) this.cache.clear();
    this.cache.set(keyId, entry);
    return entry;
  }

  private touch(keyId: string): void {
    const now = this.now();
    if (now - (this.lastUsedWrites.get(keyId) ?? 0) < this.lastUsedIntervalMs) return;
    if (this.lastUsedWrites.size >= 10_000) this.lastUsedWrites.clear();
    this.lastUsedWrites.set(keyId, now);
    this.pool
      .query('UPDATE api_keys SET last_used_at = now() WHERE key_id = $1', [keyId])
      .catch((error: unknown) => this.onBackgroundError(error, keyId));
  }
}

function requireRow(row: KeyRow | undefined): KeyRow {
  if (row === undefined) throw new DataLossError('api_keys: statement returned no row');
  return row;
}

function recordOf(row: KeyRow): ApiKeyRecord {
  const scopes = row.permissions.filter(isScope);
  if (scopes.length !== row.permissions.length) {
    throw new DataLossError(`api_keys ${row.key_id}: unknown permission in ${row.permissions.join(',')}`);
  }
  return {
    keyId: row.key_id,
    userId: row.user_id,
    label: row.label,
    scopes,
    allowedIps: row.allowed_ips ?? [],
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at ?? undefined,
    revokedAt: row.revoked_at ?? undefined,
  };
}
