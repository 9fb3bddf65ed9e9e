import { Command } from 'commander';
import { NodeRole } from '../../cluster/index.ts';
import { startNode } from '../../nodes/index.ts';
import { registerPaperVenue } from '../../nodes/paper-venue.ts';
import { loadNode } from '../context.ts';
import type { CliContext } from '../context.ts';

/** `gekko start`: runs a node until SIGINT or SIGTERM, then stops it cleanly. */
export function startCommand(context: CliContext): Command {
  return new Command('start')
    .description('start a node (embedded PostgreSQL unless DATABASE_URL is set); stop with Ctrl-C')
    .option('-c, --config <file>', 'JSON configuration file (default: $NINJA_CONFIG_FILE)')
    .action(async (options: { config?: string }) => {
      const { config, logger } = loadNode(context, options.config);
      // The built-in paper venue with generated markets, on a node that hosts venues.
      const node = await startNode(
        config,
        logger,
        config.cluster.roles.includes(NodeRole.venue)
          ? { registerKinds: (cluster, services) => registerPaperVenue(cluster, services) }
          : {},
      );
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      logger.info({ signal }, 'signal received');
      await node.stop();
    });
}
