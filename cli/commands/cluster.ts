import { Command } from 'commander';
import type { Etcd3 } from 'etcd3';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { countActivations } from '../../cluster/activation/index.ts';
import {
  clusterKeys,
  createEtcdClient,
  decodeMember,
  isMemberState,
  requestDrain,
} from '../../cluster/index.ts';
import type { Member } from '../../cluster/index.ts';
import { ClusterServiceConnection, kindActors } from '../../cluster/service/index.ts';
import type { ClusterStatus } from '../../cluster/service/index.ts';
import { DEFAULT_CLIENT_NAME, loadOrIssueClientTls } from '../../cluster/tls/index.ts';
import {
  DeadlineExceededError,
  InternalError,
  InvalidArgumentError,
  UnauthenticatedError,
  UnavailableError,
} from '../../domain/errors.ts';
import type { ClusterStatus as GatewayClusterStatus } from '../../sdk/index.ts';
import type { CliContext } from '../context.ts';
import { gatewayOf, withClient } from './client-session.ts';
import type { ClientSession } from './client-session.ts';

interface ClusterFlags {
  readonly etcd?: string;
  readonly clusterName?: string;
  readonly node?: string;
  readonly tlsDir?: string;
  readonly clientName?: string;
  readonly gateway?: string;
  readonly apiKey?: string;
}

/** Where `gekko cluster` reads and steers the cluster: its etcd, or one node's ClusterService. */
interface ClusterAccess {
  /** Names the source in messages. */
  readonly source: string;
  status(): Promise<ClusterStatus>;
  /** Requests the drain; resolves with who accepted it. */
  drain(nodeId: string): Promise<string>;
  close(): void;
}

function endpointsOf(context: CliContext, flags: ClusterFlags): string[] {
  const raw = flags.etcd ?? context.env['NINJA_ETCD_ENDPOINTS'] ?? '';
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

function clusterNameOf(context: CliContext, flags: ClusterFlags): string {
  return flags.clusterName ?? context.env['NINJA_CLUSTER_NAME'] ?? 'ninja';
}

/** Reads the members and counts their activation keys, by kind (no node's view: etcd's). */
export async function readClusterStatus(client: Etcd3, clusterName: string): Promise<ClusterStatus> {
  const keys = clusterKeys(clusterName);
  const [members, census] = await Promise.all([
    client.getAll().prefix(keys.membersPrefix).strings(),
    countActivations(client, clusterName),
  ]);
  return {
    clusterName,
    viewOf: 'etcd',
    observedAt: Date.now(),
    members: Object.entries(members)
      .map(([key, value]): Member => decodeMember(key.slice(keys.membersPrefix.length), value))
      .sort((a, b) => a.nodeId.localeCompare(b.nodeId))
      .map((member) => ({
        nodeId: member.nodeId,
        address: member.address,
        roles: member.roles,
        version: member.version,
        state: member.state,
        startedAt: member.startedAt,
        ...kindActors(census.get(member.nodeId) ?? new Map<string, number>()),
      })),
  };
}

function etcdAccess(context: CliContext, flags: ClusterFlags): ClusterAccess {
  const endpoints = endpointsOf(context, flags);
  const name = clusterNameOf(context, flags);
  const client = createEtcdClient({ endpoints });
  return {
    source: `etcd ${endpoints.join(',')}`,
    status: () => readClusterStatus(client, name),
    drain: async (nodeId) => {
      await requestDrain(client, name, nodeId);
      return 'etcd';
    },
    close: () => client.close(),
  };
}

/**
 * Without --tls-dir or $NINJA_TLS_DIR: the directory a development node creates (`<dataDir>/tls`)
 * when it holds a CA, else the one `gekko certs init` writes by default ($NINJA_CERTS_DIR or
 * .data/certs) when that does: an operator who ran `gekko certs init` and started the nodes with
 * its certificates used to get "no cluster CA at .data/tls/ca.pem: run `gekko certs init`".
 */
export function defaultTlsDir(env: NodeJS.ProcessEnv): string {
  const nodeDir = resolve(join(env['NINJA_DATA_DIR'] ?? '.data', 'tls'));
  const certsDir = resolve(env['NINJA_CERTS_DIR'] ?? join('.data', 'certs'));
  if (!existsSync(join(nodeDir, 'ca.pem')) && existsSync(join(certsDir, 'ca.pem'))) return certsDir;
  return nodeDir;
}

async function nodeAccess(context: CliContext, flags: ClusterFlags, address: string): Promise<ClusterAccess> {
  const dir = flags.tlsDir ?? context.env['NINJA_TLS_DIR'] ?? defaultTlsDir(context.env);
  const tls = await loadOrIssueClientTls(resolve(dir), flags.clientName ?? DEFAULT_CLIENT_NAME);
  const connection = new ClusterServiceConnection({ address, tls });
  return {
    source: `node ${address}`,
    status: () => connection.status(),
    drain: (nodeId) => connection.drain(nodeId),
    close: () => connection.close(),
  };
}

/** The gateway's answer in the CLI's terms (states as the cluster names them, times in ms). */
function fromGateway(status: GatewayClusterStatus): ClusterStatus {
  return {
    clusterName: status.clusterName,
    viewOf: status.viewOf,
    observedAt: status.observedAt.getTime(),
    members: status.members.map((member) => {
      const state = member.state.toLowerCase();
      if (!isMemberState(state)) {
        throw new InternalError(`member ${member.nodeId} has an unknown state ${member.state}`);
      }
      return {
        nodeId: member.nodeId,
        address: member.address,
        roles: member.roles,
        version: member.version,
        state,
        startedAt: member.startedAt.getTime(),
        actorsByKind: member.actorsByKind,
        actors: member.actors,
      };
    }),
  };
}

/** ClusterService through the gateway, with the client's credentials (admin scope). */
function gatewayAccess(session: ClientSession, address: string): ClusterAccess {
  return {
    source: `gateway ${address}`,
    status: async () => fromGateway(await session.client.cluster.getStatus()),
    drain: (nodeId) => session.client.cluster.drainNode(nodeId),
    // withClient closes the client.
    close: () => undefined,
  };
}

/**
 * `--node` wins over `--etcd` ($NINJA_ETCD_ENDPOINTS); with neither, the gateway (as the other
 * client commands: --gateway, $NINJA_GATEWAY or the local default, with the stored credentials),
 * which is how a node started by `npm start` (no cluster listener, no etcd) is reached.
 */
async function withAccess<T>(
  context: CliContext,
  flags: ClusterFlags,
  use: (access: ClusterAccess) => Promise<T>,
): Promise<T> {
  if (flags.node === undefined && endpointsOf(context, flags).length === 0) {
    const address = gatewayOf(context, flags);
    try {
      return await withClient(context, flags, (session) => use(gatewayAccess(session, address)));
    } catch (error) {
      // No gateway there, or no credentials for it: say the other ways in too.
      const hint =
        'A cluster with etcd or a cluster listener: name it with --etcd <urls> or --node host:port.';
      if (error instanceof UnavailableError)
        throw new UnavailableError(`${error.message} ${hint}`, { cause: error });
      if (error instanceof UnauthenticatedError) {
        throw new UnauthenticatedError(`${error.message} ${hint}`, { cause: error });
      }
      throw error;
    }
  }
  const access =
    flags.node === undefined ? etcdAccess(context, flags) : await nodeAccess(context, flags, flags.node);
  try {
    return await use(access);
  } finally {
    access.close();
  }
}

/** The JSON `gekko cluster status --json` prints (times as ISO 8601). */
function statusJson(status: ClusterStatus): unknown {
  return {
    clusterName: status.clusterName,
    viewOf: status.viewOf,
    observedAt: new Date(status.observedAt).toISOString(),
    members: status.members.map((member) => ({
      nodeId: member.nodeId,
      address: member.address,
      roles: member.roles,
      version: member.version,
      state: member.state,
      startedAt: new Date(member.startedAt).toISOString(),
      actors: member.actors,
      actorsByKind: Object.fromEntries(member.actorsByKind.map((entry) => [entry.kind, entry.actors])),
    })),
  };
}

function table(status: ClusterStatus): string[] {
  const header = ['NODE', 'ADDRESS', 'ROLES', 'VERSION', 'STATE', 'ACTORS', 'BY KIND', 'STARTED'];
  const cells = status.members.map((m) => [
    m.nodeId,
    m.address,
    m.roles.join(','),
    m.version,
    m.state,
    String(m.actors),
    m.actorsByKind.map((entry) => `${entry.kind}=${String(entry.actors)}`).join(',') || '-',
    new Date(m.startedAt).toISOString(),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const rows = [header, ...cells].map((row) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
  const view = status.viewOf === 'etcd' ? 'as recorded in etcd' : `as ${status.viewOf} sees it`;
  return [`cluster ${status.clusterName} (${view}): ${String(status.members.length)} members`, ...rows];
}

function accessOptions(command: Command): Command {
  return command
    .option('--etcd <urls>', 'comma-separated etcd client URLs ($NINJA_ETCD_ENDPOINTS)')
    .option('--cluster-name <name>', 'cluster name, with --etcd ($NINJA_CLUSTER_NAME, default ninja)')
    .option('--node <host:port>', "a node's cluster listener: ask its ClusterService instead of etcd")
    .option(
      '--tls-dir <dir>',
      "with --node: cluster CA and client certificates ($NINJA_TLS_DIR; default a development node's <$NINJA_DATA_DIR or .data>/tls, else gekko certs init's $NINJA_CERTS_DIR or .data/certs)",
    )
    .option(
      '--client-name <name>',
      `with --node: client certificate <tls-dir>/<name>/node.pem, issued by the CA there when missing (default ${DEFAULT_CLIENT_NAME})`,
    )
    .option(
      '--gateway <host:port>',
      'without --node and etcd: ask the gateway (admin scope) at this address ($NINJA_GATEWAY, default 127.0.0.1:50051)',
    )
    .option(
      '--api-key <key>',
      'with the gateway: API key "<key id>.<secret>" ($NINJA_API_KEY, then the stored login)',
    );
}

/** `gekko cluster status|drain`: reads and steers a cluster through its etcd or one of its nodes. */
export function clusterCommand(context: CliContext): Command {
  const cluster = new Command('cluster').description(
    'inspect and operate a cluster through its etcd, one of its nodes, or the gateway',
  );
  accessOptions(
    cluster
      .command('status')
      .description('list the members: id, address, roles, version, state, actors hosted by kind'),
  )
    .option('--json', 'print JSON')
    .action(async (flags: ClusterFlags & { readonly json?: boolean }) => {
      const status = await withAccess(context, flags, (access) => access.status());
      if (flags.json === true) context.out(JSON.stringify(statusJson(status), null, 2));
      else for (const line of table(status)) context.out(line);
    });
  accessOptions(
    cluster
      .command('drain')
      .description('ask a node to hand its actors over to the others, then leave (admin)')
      .argument('<nodeId>', 'the node to drain'),
  )
    .option('--timeout <seconds>', 'how long to wait for the node to leave', '60')
    .action(async (nodeId: string, flags: ClusterFlags & { readonly timeout: string }) => {
      const timeoutSeconds = Number(flags.timeout);
      if (!(Number.isFinite(timeoutSeconds) && timeoutSeconds > 0)) {
        throw new InvalidArgumentError('--timeout', `must be a number of seconds > 0, got ${flags.timeout}`);
      }
      await withAccess(context, flags, async (access) => {
        const acceptedBy = await access.drain(nodeId);
        context.out(`drain of ${nodeId} requested (accepted by ${acceptedBy})`);
        await waitUntilLeft(access, nodeId, acceptedBy === nodeId, Date.now() + timeoutSeconds * 1000);
        context.out(`${nodeId} drained and left`);
      });
    });
  return cluster;
}

/**
 * Polls the status until `nodeId` is no longer a member. When the node being drained accepted the
 * request itself (asked through `--node`), its listener going away is the end of the drain too.
 */
async function waitUntilLeft(
  access: ClusterAccess,
  nodeId: string,
  drainingSelf: boolean,
  until: number,
): Promise<void> {
  for (;;) {
    let status: ClusterStatus;
    try {
      status = await access.status();
    } catch (error) {
      if (drainingSelf) return;
      throw error;
    }
    const member = status.members.find((m) => m.nodeId === nodeId);
    if (member === undefined) return;
    if (Date.now() > until) {
      throw new DeadlineExceededError(
        `${nodeId} is still a member (${member.state}, ${String(member.actors)} actors) per ${access.source}`,
      );
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 200));
  }
}
