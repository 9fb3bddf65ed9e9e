import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { PoolClient } from 'pg';
import { UnauthenticatedError } from '../../domain/errors.ts';
import { withTransaction } from '../../persistence/index.ts';
import { hashSecret, newSecret } from './secret-hash.ts';

export interface IssuedRefreshToken {
  readonly token: string;
  readonly familyId: string;
  readonly expiresAtMs: number;
}

/** What presenting a refresh token led to. */
export type RotationOutcome =
  | { readonly type: 'rotated'; readonly userId: string; readonly next: IssuedRefreshToken }
  /** A used or revoked token came back: its whole family is now revoked. */
  | { readonly type: 'reused'; readonly userId: string; readonly familyId: string }
  | { readonly type: 'refused'; readonly reason: string; readonly userId?: string };

interface TokenRow {
  id: string;
  user_id: string;
  family_id: string;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
  disabled_at: Date | null;
}

/**
 * Opaque refresh tokens (refresh_tokens): stored as SHA-256 hashes, single use. Each login starts a
 * family; each refresh marks the token used and issues its successor in the same family. A token
 * presented after it was used or revoked is a theft signal: the whole family is revoked.
 */
export class RefreshTokens {
  constructor(
    private readonly pool: pg.Pool,
    private readonly lifetimeSeconds: number,
  ) {}

  /** Starts a new family (a login). */
  async issue(userId: string): Promise<IssuedRefreshToken> {
    return this.insert(this.pool, userId, randomUUID());
  }

  /** Uses a token once. Reuse revokes the family and commits before the caller reports it. */
  async rotate(token: string): Promise<RotationOutcome> {
    const hash = hashSecret(token);
    return withTransaction(
      this.pool,
      async (client) => {
        const found = await client.query<TokenRow>(
          `SELECT t.id, t.user_id, t.family_id, t.expires_at, t.used_at, t.revoked_at, u.disabled_at
             FROM refresh_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.token_hash = $1 FOR UPDATE OF t`,
          [hash],
        );
        const row = found.rows[0];
        if (row === undefined) return { type: 'refused', reason: 'unknown refresh token' } as const;
        if (row.used_at !== null || row.revoked_at !== null) {
          await revokeFamily(client, row.family_id);
          return { type: 'reused', userId: row.user_id, familyId: row.family_id } as const;
        }
        if (row.disabled_at !== null)
          return { type: 'refused', reason: 'user is disabled', userId: row.user_id } as const;
        if (row.expires_at.getTime() <= Date.now()) {
          return { type: 'refused', reason: 'refresh token expired', userId: row.user_id } as const;
        }
        const next = await this.insert(client, row.user_id, row.family_id);
        await client.query(
          `UPDATE refresh_tokens SET used_at = now(), replaced_by = (SELECT id FROM refresh_tokens WHERE token_hash = $2)
            WHERE id = $1`,
          [row.id, hashSecret(next.token)],
        );
        return { type: 'rotated', userId: row.user_id, next } as const;
      },
      { label: 'gateway.refresh-token.rotate' },
    );
  }

  /**
   * Revokes the family of `token` (or every family of its user). UnauthenticatedError when the
   * token is unknown; otherwise the user, the token's family and every family revoked now.
   */
  async revoke(
    token: string,
    allSessions: boolean,
  ): Promise<{ userId: string; familyId: string; revokedFamilies: string[] }> {
    const found = await this.pool.query<{ user_id: string; family_id: string }>(
      'SELECT user_id, family_id FROM refresh_tokens WHERE token_hash = $1',
      [hashSecret(token)],
    );
    const row = found.rows[0];
    if (row === undefined) throw new UnauthenticatedError('unknown refresh token');
    if (!allSessions) await revokeFamily(this.pool, row.family_id);
    const revoked = allSessions
      ? await this.pool.query<{ family_id: string }>(
          `UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL
           RETURNING family_id`,
          [row.user_id],
        )
      : { rows: [] };
    const revokedFamilies = [...new Set([row.family_id, ...revoked.rows.map((r) => r.family_id)])];
    return { userId: row.user_id, familyId: row.family_id, revokedFamilies };
  }

  /**
   * The families revoked within the last `withinSeconds` (their access tokens may still be
   * unexpired). Served by refresh_tokens_revoked_at_idx (migration 0002).
   */
  async revokedWithin(withinSeconds: number): Promise<string[]> {
    const result = await this.pool.query<{ family_id: string }>(
      `SELECT DISTINCT family_id FROM refresh_tokens
        WHERE revoked_at IS NOT NULL AND revoked_at > now() - make_interval(secs => $1)`,
      [withinSeconds],
    );
    return result.rows.map((row) => row.family_id);
  }

  private async insert(
    db: pg.Pool | PoolClient,
    userId: string,
    familyId: string,
  ): Promise<IssuedRefreshToken> {
    const token = newSecret();
    const expiresAtMs = Date.now() + this.lifetimeSeconds * 1000;
    await db.query(
      'INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at) VALUES ($1, $2, $3, $4)',
      [userId, familyId, hashSecret(token), new Date(expiresAtMs)],
    );
    return { token, familyId, expiresAtMs };
  }
}

async function revokeFamily(db: pg.Pool | PoolClient, familyId: string): Promise<void> {
  await db.query('UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL', [
    familyId,
  ]);
}
