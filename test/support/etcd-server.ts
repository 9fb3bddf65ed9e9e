import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../observability/index.ts';
import { testLogger } from './logger.ts';

/** One etcd member process of a test cluster. */
export interface TestEtcdMember {
  readonly name: string;
  /** `http://127.0.0.1:<port>`: what etcd3 clients are given. */
  readonly endpoint: string;
  readonly pid: number | undefined;
  /** Sends a signal: SIGKILL to crash it, SIGSTOP / SIGCONT to freeze and thaw it. */
  signal(signal: NodeJS.Signals): void;
  /** Whether the process has exited. */
  readonly exited: boolean;
}

/** An etcd cluster started for tests on loopback, in its own temporary directory. */
export interface TestEtcdCluster {
  readonly endpoints: readonly string[];
  readonly members: readonly TestEtcdMember[];
  /** Whether the harness started it (false when NINJA_TEST_ETCD_ENDPOINTS points elsewhere). */
  readonly started: boolean;
  /** Kills every member (thawing frozen ones first) and removes the data directory. */
  stop(): Promise<void>;
}

export interface TestEtcdOptions {
  /** Number of members (1 or 3 in practice). Default 3. */
  readonly members?: number;
  /** Raft heartbeat and election timeout in ms (etcd defaults 100 / 1000). */
  readonly heartbeatMs?: number;
  readonly electionTimeoutMs?: number;
  /** How long to wait for every member to report healthy. Default 20 s. */
  readonly startTimeoutMs?: number;
  readonly logger?: Logger;
}

const ETCD_CANDIDATES = ['/usr/bin/etcd', '/usr/local/bin/etcd'];

/** The etcd server binary: NINJA_ETCD_BIN, else the Debian etcd-server path. */
export function etcdBinary(): string {
  const configured = process.env.NINJA_ETCD_BIN;
  if (configured !== undefined && configured !== '') return configured;
  const found = ETCD_CANDIDATES.find((path) => existsSync(path));
  if (found === undefined) {
    throw new Error('etcd server binary not found: install Debian etcd-server or set NINJA_ETCD_BIN');
  }
  return found;
}

/**
 * The etcd cluster of a test run: NINJA_TEST_ETCD_ENDPOINTS (comma-separated) when set, else a
 * 3-member cluster started by startTestEtcdCluster.
 */
export async function startTestEtcd(): Promise<TestEtcdCluster> {
  const external = process.env.NINJA_TEST_ETCD_ENDPOINTS;
  if (external !== undefined && external !== '') {
    const endpoints = external.split(',').map((endpoint) => endpoint.trim());
    if (endpoints.some((endpoint) => !/^https?:\/\/[^/]+$/.test(endpoint))) {
      throw new Error('NINJA_TEST_ETCD_ENDPOINTS must be comma-separated http(s)://host:port URLs');
    }
    return { endpoints, members: [], started: false, stop: () => Promise.resolve() };
  }
  return startTestEtcdCluster({ members: 3 });
}

/**
 * Starts an etcd cluster of `members` processes on free loopback ports in a fresh temporary
 * directory and waits until every member is healthy. Tests that kill or freeze members start their
 * own small cluster with this instead of using the run's shared one.
 */
export async function startTestEtcdCluster(options: TestEtcdOptions = {}): Promise<TestEtcdCluster> {
  const count = options.members ?? 3;
  if (!Number.isInteger(count) || count < 1 || count > 7)
    throw new Error(`members must be 1..7, got ${count}`);
  const logger = options.logger ?? testLogger('test-etcd');
  const binary = etcdBinary();
  const dir = await mkdtemp(join(tmpdir(), 'ninja-test-etcd-'));
  const ports = await freePorts(count * 2);
  const specs = Array.from({ length: count }, (_, index) => ({
    name: `m${index}`,
    clientUrl: `http://127.0.0.1:${String(ports[index * 2])}`,
    peerUrl: `http://127.0.0.1:${String(ports[index * 2 + 1])}`,
  }));
  const initialCluster = specs.map((spec) => `${spec.name}=${spec.peerUrl}`).join(',');
  const token = `ninja-test-${String(process.pid)}-${String(Date.now())}`;
  const members: EtcdProcess[] = specs.map(
    (spec) =>
      new EtcdProcess(
        spec.name,
        spec.clientUrl,
        spawn(
          binary,
          [
            `--name=${spec.name}`,
            `--data-dir=${join(dir, spec.name)}`,
            `--listen-client-urls=${spec.clientUrl}`,
            `--advertise-client-urls=${spec.clientUrl}`,
            `--listen-peer-urls=${spec.peerUrl}`,
            `--initial-advertise-peer-urls=${spec.peerUrl}`,
            `--initial-cluster=${initialCluster}`,
            `--initial-cluster-state=new`,
            `--initial-cluster-token=${token}`,
            `--heartbeat-interval=${String(options.heartbeatMs ?? 100)}`,
            `--election-timeout=${String(options.electionTimeoutMs ?? 1000)}`,
            '--logger=zap',
            '--log-level=error',
          ],
          { stdio: ['ignore', 'ignore', 'pipe'] },
        ),
        logger,
      ),
  );
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await Promise.all(members.map((member) => member.kill()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitHealthy(members, options.startTimeoutMs ?? 20_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoints: specs.map((spec) => spec.clientUrl), members, started: true, stop };
}

class EtcdProcess implements TestEtcdMember {
  private stderrTail = '';
  private exitedFlag = false;
  private readonly exitPromise: Promise<void>;

  constructor(
    readonly name: string,
    readonly endpoint: string,
    private readonly child: ChildProcess,
    private readonly logger: Logger,
  ) {
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-4000);
    });
    this.exitPromise = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitedFlag = true;
        logger.debug({ member: name, code, signal }, 'etcd member exited');
        resolve();
      });
    });
    child.on('error', (error) => {
      this.exitedFlag = true;
      logger.error({ err: error, member: name }, 'etcd member failed to start');
    });
    liveChildren.add(child);
    child.once('exit', () => liveChildren.delete(child));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get exited(): boolean {
    return this.exitedFlag;
  }

  get stderr(): string {
    return this.stderrTail;
  }

  signal(signal: NodeJS.Signals): void {
    if (this.exitedFlag) throw new Error(`etcd member ${this.name} has already exited`);
    this.child.kill(signal);
  }

  /** SIGCONT (in case it is frozen) then SIGKILL; resolves when it has exited. */
  async kill(): Promise<void> {
    if (this.exitedFlag || this.child.pid === undefined) return;
    this.child.kill('SIGCONT');
    this.child.kill('SIGKILL');
    await this.exitPromise;
  }
}

/** Children still running, killed synchronously if the test process exits without stopping them. */
const liveChildren = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
});

async function waitHealthy(members: readonly EtcdProcess[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(members);
  while (pending.size > 0) {
    for (const member of pending) {
      if (member.exited) {
        throw new Error(`etcd member ${member.name} exited during start:\n${member.stderr}`);
      }
      if (await isHealthy(member.endpoint)) pending.delete(member);
    }
    if (pending.size === 0) return;
    if (Date.now() > deadline) {
      const names = [...pending].map((member) => `${member.name}: ${member.stderr}`).join('\n');
      throw new Error(`etcd cluster not healthy after ${String(timeoutMs)} ms:\n${names}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function isHealthy(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(1000) });
    if (!response.ok) return false;
    const body = (await response.json()) as { health?: unknown };
    return body.health === 'true';
  } catch {
    // Not listening yet, or not yet part of a quorum: the caller polls again until its deadline.
    return false;
  }
}

/** Distinct free loopback ports (bound together, then released, so they differ from each other). */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port bound');
    return address.port;
  });
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  return ports;
}
