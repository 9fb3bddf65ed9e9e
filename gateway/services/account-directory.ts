import type pg from 'pg';
import { DataLossError, PermissionDeniedError } from '../../domain/errors.ts';

export interface AccountRecord {
  readonly id: string;
  readonly userId: string;
  readonly venue: string;
  readonly name: string;
  readonly createdAt: Date;
}

interface AccountRow {
  id: string;
  user_id: string;
  venue: string;
  name: string;
  created_at: Date;
}

/**
 * Who owns which trading account. An account never changes owner, so owners are cached (bounded).
 * Another user's account and a missing one get the same answer: nobody learns which ids exist.
 */
export class AccountDirectory {
  private readonly owners = new Map<string, string>();

  constructor(private readonly pool: pg.Pool) {}

  /** PermissionDeniedError unless `userId` owns `accountId` (a lower-case UUID). */
  async requireOwned(userId: string, accountId: string): Promise<void> {
    let owner = this.owners.get(accountId);
    if (owner === undefined) {
      const result = await this.pool.query<{ user_id: string }>(
        'SELECT user_id FROM accounts WHERE id = $1',
        [accountId],
      );
      owner = result.rows[0]?.user_id;
      if (owner !== undefined) {
        if (this.owners.size >= 100_000) this.owners.clear();
        this.owners.set(accountId, owner);
      }
    }
    if (owner !== userId) throw new PermissionDeniedError(`account ${accountId} is not one of yours`);
  }

  async listOwned(userId: string): Promise<AccountRecord[]> {
    const result = await this.pool.query<AccountRow>(
      'SELECT id, user_id, venue, name, created_at FROM accounts WHERE user_id = $1 ORDER BY created_at, id',
      [userId],
    );
    return result.rows.map((row) => ({
      id: row.id,
      userId: row.user_id,
      venue: row.venue,
      name: row.name,
      createdAt: row.created_at,
    }));
  }

  /** Creates an account (development bootstrap, tests); the venue must be a venue id. */
  async create(userId: string, venue: string, name: string): Promise<AccountRecord> {
    const result = await this.pool.query<AccountRow>(
      'INSERT INTO accounts (user_id, venue, name) VALUES ($1, $2, $3) RETURNING id, user_id, venue, name, created_at',
      [userId, venue, name],
    );
    const row = result.rows[0];
    if (row === undefined) throw new DataLossError('accounts: INSERT returned no row');
    return { id: row.id, userId: row.user_id, venue: row.venue, name: row.name, createdAt: row.created_at };
  }
}
