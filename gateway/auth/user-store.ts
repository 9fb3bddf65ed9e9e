import type pg from 'pg';
import { AlreadyExistsError, DataLossError } from '../../domain/errors.ts';
import { SqlState, sqlStateOf } from '../../persistence/index.ts';
import { isRole } from './roles-and-scopes.ts';
import type { Role } from './roles-and-scopes.ts';

export interface UserRecord {
  readonly id: string;
  readonly email: string;
  readonly passwordHash: string;
  readonly roles: readonly Role[];
  readonly createdAt: Date;
  readonly disabled: boolean;
}

interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  roles: string[];
  created_at: Date;
  disabled_at: Date | null;
}

const COLUMNS = 'id, email, password_hash, roles, created_at, disabled_at';

/** The users table. */
export class UserStore {
  constructor(private readonly pool: pg.Pool) {}

  /** AlreadyExistsError when the e-mail is taken. */
  async create(email: string, passwordHash: string, roles: readonly Role[]): Promise<UserRecord> {
    try {
      const result = await this.pool.query<UserRow>(
        `INSERT INTO users (email, password_hash, roles) VALUES ($1, $2, $3::TEXT[]) RETURNING ${COLUMNS}`,
        [email, passwordHash, roles],
      );
      return recordOf(result.rows[0]);
    } catch (error) {
      if (sqlStateOf(error) === SqlState.UNIQUE_VIOLATION) {
        throw new AlreadyExistsError('a user with this email already exists', { cause: error });
      }
      throw error;
    }
  }

  async findByEmail(email: string): Promise<UserRecord | undefined> {
    const result = await this.pool.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE email = $1`, [email]);
    return result.rows[0] === undefined ? undefined : recordOf(result.rows[0]);
  }

  async findById(id: string): Promise<UserRecord | undefined> {
    const result = await this.pool.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
    return result.rows[0] === undefined ? undefined : recordOf(result.rows[0]);
  }
}

function recordOf(row: UserRow | undefined): UserRecord {
  if (row === undefined) throw new DataLossError('users: statement returned no row');
  const roles = row.roles.filter(isRole);
  if (roles.length !== row.roles.length)
    throw new DataLossError(`users ${row.id}: unknown role in ${row.roles.join(',')}`);
  return {
    id: row.id,
    email: row.email,
    passwordHash: row.password_hash,
    roles,
    createdAt: row.created_at,
    disabled: row.disabled_at !== null,
  };
}
