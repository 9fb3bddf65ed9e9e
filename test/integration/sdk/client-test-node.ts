import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, resolveSecrets } from '../../../nodes/config/index.ts';
import { startNode } from '../../../nodes/index.ts';
import type { RunningNode } from '../../../nodes/index.ts';
import { createTestDatabase, testLogger } from '../../support/index.ts';

/**
 * A development node (gateway role) on a fresh database with gRPC and HTTP on free loopback ports,
 * and a private config dir: the node saves the operator's credentials.json there, as `npm start`
 * does in ~/.config/ninja-gekko. For the SDK examples and the client commands of the CLI.
 */
export interface ClientTestNode {
  readonly node: RunningNode;
  /** host:port of the gateway's gRPC endpoint. */
  readonly gateway: string;
  /** Use as XDG_CONFIG_HOME: holds ninja-gekko/credentials.json. */
  readonly configHome: string;
  readonly credentialsFile: string;
  stop(): Promise<void>;
}

export async function startClientTestNode(env: Record<string, string> = {}): Promise<ClientTestNode> {
  const database = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'ninja-client-node-'));
  // As root the embedded PostgreSQL (not used here) would need to enter it; harmless otherwise.
  chmodSync(dataDir, 0o755);
  const configHome = mkdtempSync(join(tmpdir(), 'ninja-client-config-'));
  const credentialsFile = join(configHome, 'ninja-gekko', 'credentials.json');
  const logger = testLogger('client-test-node');
  const config = resolveSecrets(
    loadConfig({
      env: {
        NINJA_ENV: 'development',
        NINJA_NODE_ID: 'client-node-1',
        NINJA_DATA_DIR: dataDir,
        DATABASE_URL: database.url,
        NINJA_HTTP_PORT: '0',
        NINJA_GRPC_PORT: '0',
        NINJA_ROLES: 'gateway,trading',
        ...env,
      },
    }),
    logger,
  );
  let node: RunningNode;
  try {
    node = await startNode(config, logger, { credentialsFile });
  } catch (error) {
    await database.drop();
    throw error;
  }
  const grpc = node.grpc;
  if (grpc === undefined) throw new Error('the node started without its gateway');
  return {
    node,
    gateway: `${grpc.host}:${String(grpc.port)}`,
    configHome,
    credentialsFile,
    stop: async () => {
      try {
        await node.stop();
      } finally {
        await database.drop();
        rmSync(dataDir, { recursive: true, force: true });
        rmSync(configHome, { recursive: true, force: true });
      }
    },
  };
}
