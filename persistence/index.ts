export { CredentialCipher, parseCredentialKey } from './credential-cipher.ts';
export type { CredentialKeyring, EncryptedCredentials } from './credential-cipher.ts';
export { DATABASE_DEFAULTS, validateDatabaseConfig } from './database-config.ts';
export type { DatabaseConfig } from './database-config.ts';
export { Dialect, openDatabase } from './database.ts';
export type { Database, DatabaseDeps } from './database.ts';
export { startEmbeddedPostgres } from './embedded-postgres.ts';
export type { EmbeddedPostgres, EmbeddedPostgresOptions } from './embedded-postgres.ts';
export { isLoopbackPortOpen } from './embedded/index.ts';
export {
  ChecksumState,
  DEFAULT_MIGRATIONS_DIR,
  MigrationRunner,
  MigrationState,
  checksumOf,
  loadMigrations,
} from './migrations/index.ts';
export type {
  Migration,
  MigrationRunnerOptions,
  MigrationStatus,
  MigrationStep,
} from './migrations/index.ts';
export { createPool } from './pool.ts';
export type { PoolSettings } from './pool.ts';
export { redactUrl } from './redact-url.ts';
export { SqlState, isRetryableTransactionError, sqlStateOf } from './sql-state.ts';
export { TransactionOutcome, withTransaction } from './transaction.ts';
export type { TransactionAttempt, TransactionOptions } from './transaction.ts';
export { exactTypeParsers } from './type-parsers.ts';
