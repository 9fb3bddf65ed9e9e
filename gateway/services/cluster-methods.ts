import { z } from 'zod';
import type { ClusterOperations } from '../../cluster/index.ts';
import { drainNode, getClusterStatus } from '../../cluster/service/index.ts';
import {
  DrainNodeRequest,
  DrainNodeResponse,
  GetClusterStatusRequest,
  GetClusterStatusResponse,
} from '../../proto/gen/ninja/v1/cluster_service.ts';
import { anyMethod, principalOf } from '../api/method-definition.ts';
import type { GatewayMethod } from '../api/method-definition.ts';
import { RateLimits } from '../api/rate-limits.ts';
import type { Auditor } from '../audit/auditor.ts';
import { auditActorOf } from '../auth/principal.ts';
import { Scope } from '../auth/roles-and-scopes.ts';

const SERVICE = 'ninja.v1.ClusterService';

const nodeId = z
  .string()
  .regex(
    /^[A-Za-z0-9._-]{1,128}$/,
    'must be a node id: 1 to 128 letters, digits, dots, dashes or underscores',
  );

/**
 * ClusterService on the client gateway (gRPC and WebSocket), admin scope only: the same
 * implementation the node's mutual-TLS cluster listener serves (cluster/service/). DrainNode is
 * audited before the drain starts (the call fails if the record cannot be written).
 */
export function clusterMethods(deps: {
  readonly cluster: ClusterOperations;
  readonly auditor: Auditor;
}): GatewayMethod[] {
  const admin = { type: 'scope', scope: Scope.ADMIN } as const;
  return [
    anyMethod({
      kind: 'unary',
      service: SERVICE,
      name: 'GetClusterStatus',
      access: admin,
      limit: RateLimits.read,
      request: GetClusterStatusRequest,
      response: GetClusterStatusResponse,
      schema: z.strictObject({}),
      handle: () => getClusterStatus(deps.cluster),
    }),
    anyMethod({
      kind: 'unary',
      service: SERVICE,
      name: 'DrainNode',
      access: admin,
      limit: RateLimits.trade,
      request: DrainNodeRequest,
      response: DrainNodeResponse,
      schema: z.strictObject({ nodeId }),
      handle: async (ctx, request: DrainNodeRequest) => {
        const principal = principalOf(ctx);
        await deps.auditor.required({
          userId: principal.userId,
          actor: auditActorOf(principal),
          action: 'cluster.drain_node',
          target: `node:${request.nodeId}`,
          details: { source: ctx.sourceAddress ?? null, via: deps.cluster.nodeId },
          correlationId: ctx.correlationId,
        });
        ctx.logger.info(
          { nodeId: request.nodeId, userId: principal.userId },
          'drain requested through the gateway',
        );
        return drainNode(deps.cluster, request, ctx.correlationId);
      },
    }),
  ];
}
