// A `gekko start` node as a child process, for benches that measure the node from outside.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const gekko = fileURLToPath(new URL('../../cli/bin/gekko.js', import.meta.url));

export interface GekkoProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** Resolves with the first JSON log line whose `msg` is `msg`; rejects if the node exits first or after `timeoutMs`. */
  logLine(msg: string, timeoutMs: number): Promise<Record<string, unknown>>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/**
 * `node [nodeFlags] gekko start --no-panel` with `env` (plus PATH and HOME); log lines are read
 * from stderr. What the node writes to stdout (e.g. V8's `--trace-gc` lines) goes to
 * `onStdoutLine` line by line, or nowhere.
 */
export function startGekko(
  env: Readonly<Record<string, string>>,
  nodeFlags: readonly string[] = [],
  onStdoutLine?: (line: string) => void,
): GekkoProcess {
  const child = spawn(process.execPath, [...nodeFlags, gekko, 'start', '--no-panel'], {
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
  });
  const lines: Record<string, unknown>[] = [];
  const waiters: { msg: string; resolve: (line: Record<string, unknown>) => void }[] = [];
  let buffer = '';
  if (onStdoutLine === undefined) child.stdout.resume();
  else {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      let newline: number;
      while ((newline = out.indexOf('\n')) >= 0) {
        onStdoutLine(out.slice(0, newline));
        out = out.slice(newline + 1);
      }
    });
  }
  child.stderr.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const text = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (!text.startsWith('{')) continue;
      const line = JSON.parse(text) as Record<string, unknown>;
      lines.push(line);
      for (const waiter of waiters.filter((w) => w.msg === line['msg'])) waiter.resolve(line);
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return {
    child,
    logLine: (msg, timeoutMs) => {
      const seen = lines.find((l) => l['msg'] === msg);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no "${msg}" log line within ${String(timeoutMs)} ms`)),
          timeoutMs,
        );
        waiters.push({
          msg,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`gekko exited (${String(code)}) before "${msg}"`));
        });
      });
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Resident set size of a process, in MB (Linux: VmRSS in /proc/<pid>/status). */
export async function rssMb(pid: number): Promise<number> {
  return (await residentMb(pid)).rss;
}

export interface ResidentMb {
  /** VmRSS: all resident pages. */
  readonly rss: number;
  /** RssAnon: anonymous pages (the V8 heap, malloc, stacks): what a leak grows. */
  readonly anon: number;
  /** RssFile: pages of mapped files (the node binary's code, shared libraries). */
  readonly file: number;
}

/** A process's resident memory in MB, from /proc/<pid>/status (Linux). */
export async function residentMb(pid: number): Promise<ResidentMb> {
  const status = await readFile(`/proc/${String(pid)}/status`, 'utf8');
  const kb = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB$`, 'm').exec(status);
    if (match?.[1] === undefined) throw new Error(`no ${field} in /proc/${String(pid)}/status`);
    return Number(match[1]) / 1024;
  };
  return { rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile') };
}

/**
 * CPU time a process has used (user + system), in seconds, from /proc/<pid>/stat (Linux; clock
 * ticks of 100 Hz, as on every Linux platform Node supports).
 */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${String(pid)}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces: state is field 3,
  // utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime))
    throw new Error(`unreadable /proc/${String(pid)}/stat: ${stat}`);
  return (utime + stime) / 100;
}
