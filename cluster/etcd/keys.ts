import { InvalidArgumentError } from '../../domain/errors.ts';

/**
 * The etcd key layout of one cluster, under `/ninja/<clusterName>/`:
 * - `members/<nodeId>`: one member, JSON, under the member's lease;
 * - `activations/<kind>/<key>`: one activation, JSON, under the holder's lease.
 */
export interface ClusterKeys {
  readonly root: string;
  readonly membersPrefix: string;
  readonly activationsPrefix: string;
  member(nodeId: string): string;
  activation(identityText: string): string;
}

const CLUSTER_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export function clusterKeys(clusterName: string, rootPrefix = '/ninja/'): ClusterKeys {
  if (!CLUSTER_NAME.test(clusterName)) {
    throw new InvalidArgumentError(
      'cluster.name',
      `must be 1-63 characters of a-z, 0-9, '_' or '-'; got ${JSON.stringify(clusterName)}`,
    );
  }
  if (!rootPrefix.endsWith('/')) throw new InvalidArgumentError('cluster.rootPrefix', 'must end with /');
  const root = `${rootPrefix}${clusterName}/`;
  const membersPrefix = `${root}members/`;
  const activationsPrefix = `${root}activations/`;
  return {
    root,
    membersPrefix,
    activationsPrefix,
    member: (nodeId) => `${membersPrefix}${nodeId}`,
    activation: (identityText) => `${activationsPrefix}${identityText}`,
  };
}
