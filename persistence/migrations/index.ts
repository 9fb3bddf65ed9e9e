export { ChecksumState, MigrationState } from './migration.ts';
export type { Migration, MigrationStatus, MigrationStep } from './migration.ts';
export { DEFAULT_MIGRATIONS_DIR, checksumOf, loadMigrations } from './migration-loader.ts';
export { MigrationRunner } from './migration-runner.ts';
export type { MigrationRunnerOptions } from './migration-runner.ts';
