import type { Etcd3, Watcher } from 'etcd3';
import type { Logger } from '../../observability/index.ts';
import { clusterKeys } from '../etcd/keys.ts';

/** `/ninja/<cluster>/drain/<nodeId>`: written by `gekko cluster drain`, watched by that node. */
export function drainKey(clusterName: string, nodeId: string): string {
  return `${clusterKeys(clusterName).root}drain/${nodeId}`;
}

/** Asks `nodeId` to drain: it hands its actors over, then leaves the cluster. */
export async function requestDrain(client: Etcd3, clusterName: string, nodeId: string): Promise<void> {
  await client.put(drainKey(clusterName, nodeId)).value(JSON.stringify({ requestedAt: Date.now() }));
}

/**
 * Watches this node's drain key. A stale request (left by a previous incarnation) is deleted on
 * start; the key is deleted again once the node has drained.
 */
export class DrainRequests {
  private watcher: Watcher | undefined;
  private readonly key: string;

  constructor(
    private readonly client: Etcd3,
    clusterName: string,
    private readonly logger: Logger,
    private readonly onDrain: () => void,
    nodeId: string,
  ) {
    this.key = drainKey(clusterName, nodeId);
  }

  async start(): Promise<void> {
    await this.client.delete().key(this.key).exec();
    const watcher = await this.client.watch().key(this.key).create();
    this.watcher = watcher;
    watcher.on('put', () => {
      this.logger.info({ key: this.key }, 'drain requested');
      this.onDrain();
    });
    watcher.on('error', (error) => {
      this.logger.warn({ err: error, key: this.key }, 'drain watch error; the etcd client re-creates it');
    });
  }

  /** Stops watching and removes the request (the node has drained or is stopping anyway). */
  async stop(): Promise<void> {
    const watcher = this.watcher;
    this.watcher = undefined;
    try {
      await watcher?.cancel();
      await this.client.delete().key(this.key).exec();
    } catch (error) {
      this.logger.warn({ err: error, key: this.key }, 'could not clear the drain request');
    }
  }
}
