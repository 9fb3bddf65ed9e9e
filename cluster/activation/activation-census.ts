import type { Etcd3 } from 'etcd3';
import { DataLossError } from '../../domain/errors.ts';
import { clusterKeys } from '../etcd/keys.ts';

/** Activations held per node, by kind: holder node id → kind → count. */
export type ActivationCensus = Map<string, Map<string, number>>;

/**
 * Counts the activation keys of a cluster by holder and kind (one range read of
 * `activations/`). DataLossError names a key whose value has no holder.
 */
export async function countActivations(client: Etcd3, clusterName: string): Promise<ActivationCensus> {
  const prefix = clusterKeys(clusterName).activationsPrefix;
  const values = await client.getAll().prefix(prefix).strings();
  const census: ActivationCensus = new Map();
  for (const [key, value] of Object.entries(values)) {
    const identity = key.slice(prefix.length);
    const kind = identity.slice(0, Math.max(0, identity.indexOf('/')));
    let holder: unknown;
    try {
      holder = (JSON.parse(value) as { nodeId?: unknown }).nodeId;
    } catch (error) {
      throw new DataLossError(`activation key ${key} is not JSON`, { cause: error, details: { key } });
    }
    if (typeof holder !== 'string') {
      throw new DataLossError(`activation key ${key} names no holder`, { details: { key } });
    }
    let byKind = census.get(holder);
    if (byKind === undefined) {
      byKind = new Map();
      census.set(holder, byKind);
    }
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
  }
  return census;
}
