import type { Pool } from 'pg';

const BOOKKEEPING = ['schema_migrations', 'schema_migrations_lock'];

/**
 * Everything the migrations define in the current schema, from the catalogs, sorted: columns
 * (type, nullability, default), constraints (their full definition) and indexes. The migration
 * bookkeeping tables are left out.
 */
export async function schemaSnapshot(pool: Pool): Promise<string[]> {
  const columns = await pool.query<{ line: string }>(
    `SELECT format('column %s.%s %s nullable=%s default=%s', table_name, column_name,
                   CASE WHEN data_type = 'ARRAY' THEN udt_name ELSE data_type END,
                   is_nullable, coalesce(column_default, '-')) AS line
       FROM information_schema.columns
      WHERE table_schema = current_schema() AND NOT (table_name = ANY($1))`,
    [BOOKKEEPING],
  );
  const constraints = await pool.query<{ line: string }>(
    `SELECT format('constraint %s.%s %s', c.relname, k.conname, pg_get_constraintdef(k.oid)) AS line
       FROM pg_constraint k
       JOIN pg_class c ON c.oid = k.conrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND NOT (c.relname = ANY($1))`,
    [BOOKKEEPING],
  );
  const indexes = await pool.query<{ line: string }>(
    `SELECT format('index %s.%s %s', tablename, indexname, indexdef) AS line
       FROM pg_indexes
      WHERE schemaname = current_schema() AND NOT (tablename = ANY($1))`,
    [BOOKKEEPING],
  );
  return [...columns.rows, ...constraints.rows, ...indexes.rows].map((row) => row.line).sort();
}

/** Tables in the current schema other than the migration bookkeeping. */
export async function userTables(pool: Pool): Promise<string[]> {
  const result = await pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = current_schema() AND NOT (table_name = ANY($1))
      ORDER BY table_name`,
    [BOOKKEEPING],
  );
  return result.rows.map((row) => row.table_name);
}
