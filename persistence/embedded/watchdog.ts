import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { Logger } from '../../observability/index.ts';

/**
 * A tiny shell process that stops the server when this process dies in a way no handler sees
 * (SIGKILL, OOM kill, a crash of the test runner). It blocks reading a pipe whose only writer is
 * us; end-of-file means we are gone, so it asks the postmaster for a fast shutdown (SIGINT) and, if
 * that has not finished after 30 s, for an immediate one (SIGQUIT). It ignores INT/HUP/TERM so that
 * a signal sent to our whole process group does not kill it before it has done its job.
 */
const SCRIPT = [
  "trap '' INT HUP TERM",
  'while read -r _; do :; done',
  'kill -INT "$1" 2>/dev/null || exit 0',
  'i=0',
  'while kill -0 "$1" 2>/dev/null; do',
  '  i=$((i + 1))',
  '  if [ "$i" -ge 30 ]; then kill -QUIT "$1" 2>/dev/null; exit 0; fi',
  '  sleep 1',
  'done',
].join('\n');

export interface Watchdog {
  /** Ends the watchdog without touching the server (used after a normal stop). */
  disarm(): void;
}

/** Starts the watchdog for the postmaster `pid`; undefined on Windows, which has no `sh`. */
export function startWatchdog(pid: number, logger: Logger): Watchdog | undefined {
  if (process.platform === 'win32') return undefined;
  let child: ChildProcess;
  try {
    child = spawn('sh', ['-c', SCRIPT, 'ninja-pg-watchdog', String(pid)], {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
  } catch (error) {
    logger.warn(
      { err: error, serverPid: pid },
      'cannot start the embedded PostgreSQL watchdog; a hard crash may leave the server running',
    );
    return undefined;
  }
  child.on('error', (error) => {
    logger.warn(
      { err: error, serverPid: pid },
      'embedded PostgreSQL watchdog failed; a hard crash may leave the server running',
    );
  });
  child.stdin?.on('error', (error) => {
    logger.debug({ err: error, serverPid: pid }, 'embedded PostgreSQL watchdog pipe closed');
  });
  child.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return {
    disarm: () => {
      child.kill('SIGKILL');
    },
  };
}
