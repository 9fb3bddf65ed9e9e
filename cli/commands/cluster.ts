import { Command } from 'commander';
import type { Etcd3 } from 'etcd3';
import { clusterKeys, createEtcdClient, decodeMember, requestDrain } from '../../cluster/index.ts';
import type { Member } from '../../cluster/index.ts';
import { DeadlineExceededError } from '../../domain/errors.ts';
import type { CliContext } from '../context.ts';

interface ClusterFlags {
  readonly etcd?: string;
  readonly clusterName?: string;
}

/** One member as `gekko cluster status` shows it. */
export interface MemberStatus {
  readonly nodeId: string;
  readonly address: string;
  readonly roles: readonly string[];
  readonly version: string;
  readonly state: string;
  readonly startedAt: string;
  /** Activation keys it holds: the identities it hosts. */
  readonly actors: number;
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

async function withClient<T>(
  context: CliContext,
  flags: ClusterFlags,
  use: (client: Etcd3) => Promise<T>,
): Promise<T> {
  const client = createEtcdClient({ endpoints: endpointsOf(context, flags) });
  try {
    return await use(client);
  } finally {
    client.close();
  }
}

/** Reads the members and counts their activation keys. */
export async function readClusterStatus(client: Etcd3, clusterName: string): Promise<MemberStatus[]> {
  const keys = clusterKeys(clusterName);
  const [members, activations] = await Promise.all([
    client.getAll().prefix(keys.membersPrefix).strings(),
    client.getAll().prefix(keys.activationsPrefix).strings(),
  ]);
  const actors = new Map<string, number>();
  for (const value of Object.values(activations)) {
    const holder = (JSON.parse(value) as { nodeId?: unknown }).nodeId;
    if (typeof holder === 'string') actors.set(holder, (actors.get(holder) ?? 0) + 1);
  }
  return Object.entries(members)
    .map(([key, value]): Member => decodeMember(key.slice(keys.membersPrefix.length), value))
    .sort((a, b) => a.nodeId.localeCompare(b.nodeId))
    .map((member) => ({
      nodeId: member.nodeId,
      address: member.address,
      roles: member.roles,
      version: member.version,
      state: member.state,
      startedAt: new Date(member.startedAt).toISOString(),
      actors: actors.get(member.nodeId) ?? 0,
    }));
}

function table(rows: readonly MemberStatus[]): string[] {
  const header = ['NODE', 'ADDRESS', 'ROLES', 'VERSION', 'STATE', 'ACTORS', 'STARTED'];
  const cells = rows.map((r) => [
    r.nodeId,
    r.address,
    r.roles.join(','),
    r.version,
    r.state,
    String(r.actors),
    r.startedAt,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  return [header, ...cells].map((row) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

/** `gekko cluster status|drain`: reads and steers a cluster through its etcd. */
export function clusterCommand(context: CliContext): Command {
  const cluster = new Command('cluster').description('inspect and operate a cluster through its etcd');
  cluster
    .command('status')
    .description('list the members: id, address, roles, version, state, actors hosted')
    .option('--etcd <urls>', 'comma-separated etcd client URLs ($NINJA_ETCD_ENDPOINTS)')
    .option('--cluster-name <name>', 'cluster name ($NINJA_CLUSTER_NAME, default ninja)')
    .option('--json', 'print JSON')
    .action(async (flags: ClusterFlags & { readonly json?: boolean }) => {
      const rows = await withClient(context, flags, (client) =>
        readClusterStatus(client, clusterNameOf(context, flags)),
      );
      if (flags.json === true) context.out(JSON.stringify({ members: rows }, null, 2));
      else for (const line of table(rows)) context.out(line);
    });
  cluster
    .command('drain')
    .description('ask a node to hand its actors over to the others, then leave')
    .argument('<nodeId>', 'the node to drain')
    .option('--etcd <urls>', 'comma-separated etcd client URLs ($NINJA_ETCD_ENDPOINTS)')
    .option('--cluster-name <name>', 'cluster name ($NINJA_CLUSTER_NAME, default ninja)')
    .option('--timeout <seconds>', 'how long to wait for the node to leave', '60')
    .action(async (nodeId: string, flags: ClusterFlags & { readonly timeout: string }) => {
      const name = clusterNameOf(context, flags);
      await withClient(context, flags, async (client) => {
        await requestDrain(client, name, nodeId);
        context.out(`drain of ${nodeId} requested`);
        const until = Date.now() + Number(flags.timeout) * 1000;
        for (;;) {
          const member = (await readClusterStatus(client, name)).find((m) => m.nodeId === nodeId);
          if (member === undefined) break;
          if (Date.now() > until) {
            throw new DeadlineExceededError(
              `${nodeId} is still a member (${member.state}, ${String(member.actors)} actors)`,
            );
          }
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        context.out(`${nodeId} drained and left`);
      });
    });
  return cluster;
}
