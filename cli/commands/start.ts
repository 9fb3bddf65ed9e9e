import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerVenueKinds } from '../../actors/venue/index.ts';
import { NodeRole } from '../../cluster/index.ts';
import { defaultCredentialsFile } from '../../gateway/index.ts';
import { NinjaEnv, loadConfig, resolveSecrets, startNode } from '../../nodes/index.ts';
import type { RunningNode } from '../../nodes/index.ts';
import { ensureDemoAccounts } from '../../nodes/dev-accounts.ts';
import type { DemoAccount } from '../../nodes/dev-accounts.ts';
import { createStrategyHost, demoPlan } from '../../nodes/dev-strategies.ts';
import { startDevelopmentVenues } from '../../nodes/dev-venues.ts';
import type { DevelopmentVenues } from '../../nodes/dev-venues.ts';
import type { StrategyHost } from '../../nodes/dev-strategies.ts';
import { registerNodeVenues } from '../../nodes/live-venues.ts';
import { startStatusPanel } from '../../nodes/status/status-panel.ts';
import { createLogger } from '../../observability/index.ts';
import type { CliContext } from '../context.ts';

interface StartOptions {
  readonly config?: string;
  /** False with --no-panel. */
  readonly panel: boolean;
}

const PAPER_MARKETS = [
  { venue: 'paper', symbol: 'BTC-USD' },
  { venue: 'paper', symbol: 'ETH-USD' },
  { venue: 'paper', symbol: 'EUR-USD' },
];

/**
 * `gekko start`: runs a node until SIGINT or SIGTERM, then stops it cleanly. A development node
 * with the venue role also runs the venue simulators in-process, the demo accounts and strategies
 * (see docs/getting-started.md); every node shows a status panel unless --no-panel.
 */
export function startCommand(context: CliContext): Command {
  return new Command('start')
    .description('start a node (embedded PostgreSQL unless DATABASE_URL is set); stop with Ctrl-C')
    .option('-c, --config <file>', 'JSON configuration file (default: $NINJA_CONFIG_FILE)')
    .option('--no-panel', 'no live status panel (a TTY gets the log lines instead)')
    .action(async (options: StartOptions) => {
      // Listened for from the start: a signal during start-up stops the node once it is up.
      let signalled = false;
      const stopSignal = new Promise<NodeJS.Signals>((resolve) => {
        const stop = (signal: NodeJS.Signals): void => {
          signalled = true;
          resolve(signal);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      const parsed = loadConfig(
        options.config === undefined ? { env: context.env } : { env: context.env, file: options.config },
      );
      // On a TTY the panel owns the screen: log lines go to a file it names.
      const tty = options.panel && process.stdout.isTTY;
      const logFile = tty ? join(parsed.dataDir, 'logs', `${parsed.nodeId}.log`) : undefined;
      let destination: NodeJS.WritableStream = process.stderr;
      if (logFile !== undefined) {
        mkdirSync(join(parsed.dataDir, 'logs'), { recursive: true });
        destination = createWriteStream(logFile, { flags: 'a' });
      }
      const logger = createLogger({ level: parsed.logLevel, name: parsed.nodeId, destination });
      const config = resolveSecrets(parsed, logger);
      const hostsVenues = config.cluster.roles.includes(NodeRole.venue);
      const development = config.env === NinjaEnv.DEVELOPMENT;
      let venues: DevelopmentVenues | undefined;
      let strategies: StrategyHost | undefined;
      let node: RunningNode;
      try {
        node = await startNode(config, logger, {
          registerKinds: async (cluster, services) => {
            strategies = createStrategyHost({
              logger: services.logger.child({ component: 'strategies' }),
              metrics: services.metrics,
            });
            strategies.register(cluster);
            if (!hostsVenues || !development) {
              registerNodeVenues(cluster, config, services);
              return;
            }
            // Simulators in-process on loopback; stopped once the cluster has stopped.
            const started = await startDevelopmentVenues({
              logger: services.logger,
              metrics: services.metrics,
            });
            venues = started;
            registerVenueKinds(cluster, { connectors: started.connectors, metrics: services.metrics });
            void cluster.whenStopped().then(() => started.close());
          },
        });
      } catch (error) {
        await venues?.close();
        throw error;
      }
      const running = node;
      let accounts: readonly DemoAccount[] = [];
      if (venues !== undefined && running.gateway !== undefined && !signalled) {
        logger.info({ simulators: venues.endpoints }, 'development venue simulators running');
        accounts = await ensureDemoAccounts(running.gateway, running.cluster, venues.markets, logger);
        logger.info({ accounts }, 'demo accounts ready');
        strategies?.start(running.cluster, demoPlan(venues.markets, accounts));
      }
      const markets = venues?.markets ?? (hostsVenues ? PAPER_MARKETS : []);
      const panel =
        options.panel && !signalled
          ? startStatusPanel({
              sources: {
                cluster: running.cluster,
                markets,
                accounts: () => accounts.map((a) => ({ label: a.venue, accountId: a.accountId })),
                strategies: () =>
                  (strategies?.statuses() ?? []).map((s) => ({
                    id: s.identity,
                    state: s.state,
                    detail:
                      s.lastError === undefined ? s.activity : `${s.activity} (last error: ${s.lastError})`,
                  })),
              },
              connect: {
                grpc: running.grpc === undefined ? undefined : `${running.grpc.host}:${running.grpc.port}`,
                http: `http://${running.http.host}:${running.http.port}`,
                credentialsFile:
                  development && running.gateway !== undefined
                    ? defaultCredentialsFile(context.env)
                    : undefined,
                logFile,
              },
              logger,
              out: process.stdout,
            })
          : undefined;
      const signal = await stopSignal;
      logger.info({ signal }, 'signal received');
      await strategies?.stop();
      await panel?.stop();
      await running.stop();
      await venues?.close();
    });
}
