/** One numbered migration: a pair of SQL files `NNNN_name.up.sql` / `NNNN_name.down.sql`. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** `NNNN_name`, as in the file names. */
  readonly id: string;
  readonly upFile: string;
  readonly downFile: string;
  readonly upSql: string;
  readonly downSql: string;
  /** sha256 (hex) of the up SQL with line endings normalised to LF. */
  readonly checksum: string;
}

export const MigrationState = {
  APPLIED: 'applied',
  PENDING: 'pending',
  /** Applied once, then reverted by `down`; pending again. */
  ROLLED_BACK: 'rolled_back',
} as const;
export type MigrationState = (typeof MigrationState)[keyof typeof MigrationState];

export const ChecksumState = {
  OK: 'ok',
  /** The up file changed after it was applied. */
  MISMATCH: 'mismatch',
  /** Applied in the database, but there is no file for it. */
  MISSING_FILE: 'missing_file',
  /** Nothing applied to compare with. */
  NOT_APPLIED: 'not_applied',
} as const;
export type ChecksumState = (typeof ChecksumState)[keyof typeof ChecksumState];

export interface MigrationStatus {
  readonly version: number;
  readonly name: string;
  readonly state: MigrationState;
  readonly appliedAt: Date | null;
  readonly rolledBackAt: Date | null;
  readonly checksum: ChecksumState;
}

/** A migration applied or reverted by one runner call. */
export interface MigrationStep {
  readonly version: number;
  readonly name: string;
  readonly durationMs: number;
}
