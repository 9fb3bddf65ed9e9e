import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import type { ClusterNode } from '../../cluster/index.ts';
import { FailedPreconditionError } from '../../domain/errors.ts';
import { NinjaEnv } from '../../nodes/config/index.ts';
import { startNode } from '../../nodes/index.ts';
import type { RegisterKinds } from '../../nodes/index.ts';
import { registerNodeVenues } from '../../nodes/live-venues.ts';
import { loadNode } from '../context.ts';
import type { CliContext } from '../context.ts';

interface NodeStartFlags {
  readonly config?: string;
  readonly nodeId?: string;
  readonly roles?: string;
  readonly listen?: string;
  readonly etcd?: string;
  readonly databaseUrl?: string;
  readonly clusterName?: string;
  readonly tlsDir?: string;
}

/** Each flag is its environment variable: the configuration has one source of truth for both. */
const FLAG_ENV: readonly (readonly [keyof NodeStartFlags, string])[] = [
  ['nodeId', 'NINJA_NODE_ID'],
  ['roles', 'NINJA_ROLES'],
  ['listen', 'NINJA_CLUSTER_LISTEN'],
  ['etcd', 'NINJA_ETCD_ENDPOINTS'],
  ['databaseUrl', 'DATABASE_URL'],
  ['clusterName', 'NINJA_CLUSTER_NAME'],
  ['tlsDir', 'NINJA_TLS_DIR'],
];

/** Module of test-only kinds a node loads when NINJA_ENV=test (never in development or production). */
const TEST_KINDS_MODULE = 'NINJA_TEST_KINDS_MODULE';

/** Runs a node until SIGINT or SIGTERM, then drains it (actors passivate, it leaves) and exits. */
export async function runNode(context: CliContext, flags: NodeStartFlags): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...context.env };
  for (const [flag, name] of FLAG_ENV) {
    const value = flags[flag];
    if (value !== undefined) env[name] = value;
  }
  const nodeContext = { ...context, env };
  const { config, logger } = loadNode(nodeContext, flags.config);
  // A venue-role node connects the paper venue and the live venues of its configuration, any other
  // node registers the venue kinds only to address them; a test node's kinds module (NINJA_ENV=test)
  // replaces that with its own.
  const registerKinds: RegisterKinds =
    (await testKinds(config.env, env[TEST_KINDS_MODULE])) ??
    ((cluster, services) => registerNodeVenues(cluster, config, services));
  const node = await startNode(config, logger, { registerKinds });
  // A signal drains the node; a drain request (`gekko cluster drain`) has already drained it.
  const reason = await new Promise<string>((resolveStop) => {
    process.once('SIGINT', resolveStop);
    process.once('SIGTERM', resolveStop);
    void node.cluster.whenStopped().then(() => resolveStop('drained'));
  });
  logger.info({ reason }, reason === 'drained' ? 'node drained; stopping' : 'signal received; draining');
  await node.stop();
}

async function testKinds(env: string, module: string | undefined): Promise<RegisterKinds | undefined> {
  if (module === undefined || module === '') return undefined;
  if (env !== NinjaEnv.TEST) {
    throw new FailedPreconditionError(`${TEST_KINDS_MODULE} is honoured only with NINJA_ENV=test`);
  }
  const loaded = (await import(pathToFileURL(resolve(module)).href)) as {
    registerKinds?: (cluster: ClusterNode) => void | Promise<void>;
  };
  if (typeof loaded.registerKinds !== 'function') {
    throw new FailedPreconditionError(`${module} exports no registerKinds(cluster) function`);
  }
  return loaded.registerKinds;
}

/** `gekko node start`: one cluster node with its identity, roles and cluster given as flags or env. */
export function nodeCommand(context: CliContext): Command {
  const node = new Command('node').description('run a cluster node');
  node
    .command('start')
    .description('start a node; without --etcd it is a one-node cluster (static membership)')
    .option('-c, --config <file>', 'JSON configuration file (default: $NINJA_CONFIG_FILE)')
    .option('--node-id <id>', 'this node in the cluster ($NINJA_NODE_ID)')
    .option('--roles <roles>', 'comma-separated: gateway,trading,venue,strategy ($NINJA_ROLES)')
    .option('--listen <host:port>', 'cluster transport address ($NINJA_CLUSTER_LISTEN)')
    .option('--etcd <urls>', 'comma-separated etcd client URLs ($NINJA_ETCD_ENDPOINTS)')
    .option('--database-url <url>', 'PostgreSQL or CockroachDB URL ($DATABASE_URL)')
    .option('--cluster-name <name>', 'cluster name ($NINJA_CLUSTER_NAME)')
    .option('--tls-dir <dir>', 'cluster CA and node certificates ($NINJA_TLS_DIR)')
    .action((flags: NodeStartFlags) => runNode(context, flags));
  return node;
}
