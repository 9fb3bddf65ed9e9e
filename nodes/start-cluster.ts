import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import { ClusterNode, clusterTlsPaths, loadOrCreateClusterTls } from '../cluster/index.ts';
import type { ClusterTls } from '../cluster/index.ts';
import { FailedPreconditionError } from '../domain/errors.ts';
import type { Logger, MetricsRegistry } from '../observability/index.ts';
import { NinjaEnv } from './config/index.ts';
import type { Config } from './config/index.ts';

/** Adds kinds to a node's cluster before it joins (later issues register theirs through this). */
export type RegisterKinds = (
  cluster: ClusterNode,
  services: { readonly logger: Logger; readonly metrics: MetricsRegistry },
) => void | Promise<void>;

const packageJson = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/**
 * Builds and starts the node's ClusterNode: static membership and no transport when no etcd
 * endpoints are configured (a one-node cluster), else etcd membership and the mutual-TLS transport.
 */
export async function startClusterNode(
  config: Config,
  deps: { readonly pool: pg.Pool; readonly logger: Logger; readonly metrics: MetricsRegistry },
  registerKinds: RegisterKinds | undefined,
): Promise<ClusterNode> {
  const settings = config.cluster;
  const common = {
    nodeId: config.nodeId,
    roles: settings.roles,
    version: packageJson.version,
    logger: deps.logger,
    metrics: deps.metrics,
    pool: deps.pool,
  };
  let cluster: ClusterNode;
  if (settings.etcdEndpoints.length === 0) {
    cluster = new ClusterNode({ ...common, membership: { type: 'static' } });
  } else {
    const tlsDir = settings.tlsDir ?? join(config.dataDir, 'tls');
    const tls =
      config.env === NinjaEnv.PRODUCTION
        ? await loadClusterTlsFiles(tlsDir, config.nodeId)
        : await loadOrCreateClusterTls(tlsDir, config.nodeId);
    cluster = new ClusterNode({
      ...common,
      membership: {
        type: 'etcd',
        endpoints: settings.etcdEndpoints,
        clusterName: settings.name,
        ttlSeconds: settings.ttlSeconds,
      },
      transport: { listen: settings.listen, tls },
    });
  }
  await registerKinds?.(cluster, { logger: deps.logger, metrics: deps.metrics });
  try {
    await cluster.start();
  } catch (error) {
    deps.logger.error({ err: error, nodeId: config.nodeId }, 'cluster node failed to start; stopping it');
    await cluster.stop();
    throw error;
  }
  return cluster;
}

/** Production never creates certificates: they must be provisioned (e.g. `gekko certs init`). */
async function loadClusterTlsFiles(dir: string, nodeId: string): Promise<ClusterTls> {
  const paths = clusterTlsPaths(dir, nodeId);
  const read = async (path: string): Promise<string> => {
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      throw new FailedPreconditionError(
        `cluster TLS file ${path} cannot be read (production never creates it)`,
        {
          cause: error,
        },
      );
    }
  };
  const [caPem, certificatePem, privateKeyPem] = await Promise.all([
    read(paths.ca),
    read(paths.node),
    read(paths.nodeKey),
  ]);
  return { nodeId, caPem, certificatePem, privateKeyPem };
}
