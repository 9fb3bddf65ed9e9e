import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const GEKKO = fileURLToPath(new URL('../../../cli/bin/gekko.js', import.meta.url));
const TEST_KINDS = fileURLToPath(new URL('./fixtures/test-counter-kind.ts', import.meta.url));

/** A real `gekko node start` process hosting the test counter kind. */
export interface NodeProcess {
  readonly nodeId: string;
  readonly child: ChildProcessWithoutNullStreams;
  /** Its cluster transport address, from its "node ready" log line. */
  readonly address: string;
  /** Its HTTP endpoint (`/metrics`, `/readyz`). */
  readonly http: string;
  /** The last lines it logged (for failure messages). */
  readonly logTail: () => string;
  readonly exited: Promise<number | null>;
  kill(signal: 'SIGKILL' | 'SIGTERM'): Promise<number | null>;
}

export async function startNodeProcess(options: {
  readonly nodeId: string;
  readonly endpoints: readonly string[];
  readonly clusterName: string;
  readonly databaseUrl: string;
  readonly tlsDir: string;
  readonly dataDir: string;
  readonly timeoutMs?: number;
}): Promise<NodeProcess> {
  const child = spawn(
    process.execPath,
    [
      GEKKO,
      'node',
      'start',
      '--node-id',
      options.nodeId,
      '--roles',
      'trading',
      '--listen',
      '127.0.0.1:0',
      '--etcd',
      options.endpoints.join(','),
      '--database-url',
      options.databaseUrl,
      '--cluster-name',
      options.clusterName,
      '--tls-dir',
      options.tlsDir,
    ],
    {
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '',
        NINJA_ENV: 'test',
        NINJA_TEST_KINDS_MODULE: TEST_KINDS,
        NINJA_DATA_DIR: options.dataDir,
        NINJA_HTTP_PORT: '0',
        NINJA_MEMBER_TTL_SECONDS: '2',
        NINJA_LOG_LEVEL: 'info',
      },
    },
  );
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<{ address: string; http: string }>((resolve, reject) => {
    let buffer = '';
    child.stderr.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        lines.push(line);
        if (lines.length > 200) lines.shift();
        if (line.includes('"msg":"node ready"')) {
          const entry = JSON.parse(line) as Record<string, unknown>;
          resolve({ address: String(entry['cluster']), http: String(entry['http']) });
        }
      }
    });
    child.stdout.resume();
    void exited.then((code) =>
      reject(new Error(`${options.nodeId} exited (${String(code)}) before ready:\n${lines.join('\n')}`)),
    );
    setTimeout(
      () => reject(new Error(`${options.nodeId} not ready in time:\n${lines.join('\n')}`)),
      options.timeoutMs ?? 30_000,
    ).unref();
  });
  const kill = async (signal: 'SIGKILL' | 'SIGTERM'): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  try {
    const { address, http } = await ready;
    return {
      nodeId: options.nodeId,
      child,
      address,
      http,
      logTail: () => lines.slice(-40).join('\n'),
      exited,
      kill,
    };
  } catch (error) {
    await kill('SIGKILL');
    throw error;
  }
}

/** Runs a gekko command to completion without blocking the event loop (in-process nodes keep renewing). */
export function runGekko(
  args: readonly string[],
  timeoutMs = 60_000,
): Promise<{ readonly status: number | null; readonly stdout: string; readonly stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [GEKKO, ...args], {
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', NINJA_LOG_LEVEL: 'warn' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`gekko ${args.join(' ')} did not finish in ${String(timeoutMs)} ms:\n${stderr}`));
    }, timeoutMs);
    child.once('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
