import { chmod, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { fieldDeltas } from './stats.ts';
import type { Logger } from '../../observability/index.ts';
import { MigrationRunner, createPool, startEmbeddedPostgres } from '../../persistence/index.ts';

/** A migrated PostgreSQL for one bench run, with durability as in production, and a pool on it. */
export interface BenchPostgres {
  readonly pool: pg.Pool;
  /** The temporary folder that holds the data directory (the same filesystem as its WAL). */
  readonly dir: string;
  /**
   * CPU time (user + system, µs) the server's processes have used so far: the postmaster and its
   * children (backends, WAL writer, checkpointer…), read from /proc. Undefined where there is no
   * /proc. A backend that exited takes its time with it, so compare readings over a phase in
   * which the pool keeps its connections.
   */
  serverCpuMicros(): Promise<number | undefined>;
  /**
   * The server's cumulative statistics: commits (pg_stat_database), WAL records, full-page images
   * and bytes (pg_stat_wal) and WAL fsyncs (pg_stat_io). A backend reports its own at most once a
   * second, and an idle one up to 10 s later, so every connection of the pool is first made to
   * report (pg_stat_force_next_flush). The reading's own statements add STATS_READING_COMMITS
   * commits between two readings; autovacuum's transactions are counted too.
   */
  serverStats(): Promise<ServerStats>;
  stop(): Promise<void>;
}

export interface ServerStats {
  readonly commits: number;
  readonly walRecords: number;
  readonly walFullPages: number;
  readonly walBytes: number;
  readonly walFsyncs: number;
  /** Time the WAL fsyncs took, ms (track_wal_io_timing, which the bench's server runs with). */
  readonly walFsyncMs: number;
  readonly checkpoints: number;
}

/** `after - before`, field by field. */
export function statsBetween(before: ServerStats, after: ServerStats): ServerStats {
  return fieldDeltas(before, after);
}

const SERVER_STATS_SQL = `SELECT
    (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database())::TEXT AS commits,
    w.wal_records::TEXT AS wal_records, w.wal_fpi::TEXT AS wal_fpi, w.wal_bytes::TEXT AS wal_bytes,
    (SELECT COALESCE(sum(fsyncs), 0) FROM pg_stat_io WHERE object = 'wal')::TEXT AS wal_fsyncs,
    (SELECT COALESCE(sum(fsync_time), 0) FROM pg_stat_io WHERE object = 'wal')::TEXT AS wal_fsync_ms,
    (SELECT num_timed + num_requested FROM pg_stat_checkpointer)::TEXT AS checkpoints
  FROM pg_stat_wal AS w`;

/** Commits that one reading adds to the next one's count: each pool connection's flush, and the read. */
export const statsReadingCommits = (poolMax: number): number => poolMax + 1;

async function readServerStats(pool: pg.Pool, poolMax: number): Promise<ServerStats> {
  // Every connection of the pool (all idle between phases) reports its pending statistics.
  const clients = await Promise.all(Array.from({ length: poolMax }, () => pool.connect()));
  try {
    await Promise.all(clients.map((client) => client.query('SELECT pg_stat_force_next_flush()')));
  } finally {
    for (const client of clients) client.release();
  }
  const result = await pool.query<Record<string, string>>(SERVER_STATS_SQL);
  const row = result.rows[0];
  if (row === undefined) throw new Error('server statistics returned no row');
  const read = (name: string): number => {
    const value = Number(row[name]);
    if (!Number.isFinite(value)) throw new Error(`server statistic ${name} is not a number: ${row[name]}`);
    return value;
  };
  return {
    commits: read('commits'),
    walRecords: read('wal_records'),
    walFullPages: read('wal_fpi'),
    walBytes: read('wal_bytes'),
    walFsyncs: read('wal_fsyncs'),
    walFsyncMs: read('wal_fsync_ms'),
    checkpoints: read('checkpoints'),
  };
}

/** utime + stime of a /proc/<pid>/stat line, in clock ticks, and its parent pid. */
function parseStat(stat: string): { readonly ppid: number; readonly ticks: number } | undefined {
  // The command name (field 2) is in parentheses and may hold spaces: read after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ppid = Number(fields[1]);
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ppid) && Number.isFinite(ticks) ? { ppid, ticks } : undefined;
}

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

async function processTreeCpuMicros(rootPid: number): Promise<number | undefined> {
  let names: string[];
  try {
    names = await readdir('/proc');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let ticks = 0;
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = await readFile(`/proc/${name}/stat`, 'utf8');
    } catch (error) {
      // The process exited between readdir and readFile: it is not the server's any more.
      if (
        (error as NodeJS.ErrnoException).code === 'ENOENT' ||
        (error as NodeJS.ErrnoException).code === 'ESRCH'
      )
        continue;
      throw error;
    }
    const parsed = parseStat(stat);
    if (parsed !== undefined && (Number(name) === rootPid || parsed.ppid === rootPid)) ticks += parsed.ticks;
  }
  return (ticks * 1_000_000) / TICKS_PER_SECOND;
}

/**
 * Starts an embedded PostgreSQL in a fresh temporary directory on a free loopback port. Unlike the
 * test server it keeps fsync and synchronous_commit on: a journaled intent is on disk when the
 * append returns, which is what the order-path figures must include.
 */
export async function startBenchPostgres(
  logger: Logger,
  poolMax: number,
  /** Server settings beyond the defaults (`-c name=value`), e.g. to compare WAL sync methods. */
  settings: Readonly<Record<string, string>> = {},
): Promise<BenchPostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'gekko-bench-pg-'));
  // As root the server runs as the OS user "postgres", which must be able to enter this directory.
  await chmod(dir, 0o755);
  let server: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
  try {
    server = await startEmbeddedPostgres({
      dataDir: join(dir, 'data'),
      databaseName: 'bench',
      logger,
      // How long the WAL fsyncs take (pg_stat_io's fsync_time): a slow commit is then the disk's
      // or not. Two clock readings per WAL write and fsync; durability is the same.
      settings: { track_wal_io_timing: 'on', ...settings },
    });
    const pool = createPool(
      {
        url: server.url,
        max: poolMax,
        statementTimeoutMs: 30_000,
        connectionTimeoutMs: 10_000,
        idleTimeoutMs: 30_000,
        applicationName: 'gekko-bench',
      },
      logger,
    );
    await new MigrationRunner({ database: pool, logger }).up();
    const running = server;
    const dataDir = join(dir, 'data');
    return {
      pool,
      dir,
      serverCpuMicros: async () => {
        // The first line of postmaster.pid is the postmaster's pid.
        const pid = Number((await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
        if (!Number.isInteger(pid) || pid <= 0) throw new Error(`postmaster.pid holds no pid: ${pid}`);
        return processTreeCpuMicros(pid);
      },
      serverStats: () => readServerStats(pool, poolMax),
      stop: async () => {
        try {
          await pool.end();
          await running.stop();
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
