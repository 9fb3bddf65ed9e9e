import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const FIXTURE = fileURLToPath(new URL('./fixtures/member-process.ts', import.meta.url));

export interface MemberProcess {
  readonly child: ChildProcess;
  /** The activation epoch it took, or null when another node held the identity. */
  readonly epoch: bigint | null;
  kill(): Promise<void>;
}

/** Starts a node process (membership + one activation) and waits until it reports ready. */
export async function startMemberProcess(
  endpoints: readonly string[],
  clusterName: string,
  nodeId: string,
  identityText: string,
  timeoutMs = 20_000,
): Promise<MemberProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', FIXTURE, endpoints.join(','), clusterName, nodeId, identityText],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await exited;
  };
  try {
    const line = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`member process not ready in time:\n${stderr}`)),
        timeoutMs,
      );
      let buffered = '';
      child.stdout?.setEncoding('utf8');
      child.stdout?.on('data', (chunk: string) => {
        buffered += chunk;
        const newline = buffered.indexOf('\n');
        if (newline >= 0) {
          clearTimeout(timer);
          resolve(buffered.slice(0, newline));
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`member process exited (${String(code ?? signal)}) before ready:\n${stderr}`));
      });
    });
    const report = JSON.parse(line) as { epoch: string | null };
    return { child, epoch: report.epoch === null ? null : BigInt(report.epoch), kill };
  } catch (error) {
    await kill();
    throw error;
  }
}
