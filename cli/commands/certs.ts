import { Command } from 'commander';
import { resolve } from 'node:path';
import { clusterTlsPaths, loadOrCreateClusterTls, validateNodeId } from '../../cluster/tls/index.ts';

export interface CertsContext {
  out(line: string): void;
  err(line: string): void;
  readonly env: NodeJS.ProcessEnv;
}

/** `gekko certs init`: creates the development CA and node certificates for cluster mutual TLS. */
export function certsCommand(context: CertsContext): Command {
  const certs = new Command('certs').description('development certificates for node-to-node mutual TLS');
  certs
    .command('init')
    .description('create (or reuse) the development CA and a certificate per node')
    .option(
      '--dir <dir>',
      'directory for the CA and node certificates (default: $NINJA_CERTS_DIR or .data/certs)',
    )
    .option('--nodes <ids>', 'comma-separated node ids', 'node-1,node-2,node-3')
    .action(async (options: { dir?: string; nodes: string }) => {
      const dir = resolve(options.dir ?? context.env.NINJA_CERTS_DIR ?? '.data/certs');
      const nodeIds = options.nodes
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id.length > 0);
      if (nodeIds.length === 0) {
        context.err('--nodes must name at least one node id');
        process.exitCode = 2;
        return;
      }
      for (const nodeId of nodeIds) validateNodeId(nodeId);
      for (const nodeId of nodeIds) {
        await loadOrCreateClusterTls(dir, nodeId);
        const paths = clusterTlsPaths(dir, nodeId);
        context.out(`${nodeId}: ${paths.node} (key ${paths.nodeKey}, mode 0600)`);
      }
      const paths = clusterTlsPaths(dir, nodeIds[0] ?? 'node-1');
      context.out(`cluster CA: ${paths.ca} (key ${paths.caKey}, mode 0600)`);
      context.out(
        'development certificates only: keep ca-key.pem private; nodes trust any certificate it signs',
      );
    });
  return certs;
}
