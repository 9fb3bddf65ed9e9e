import { clusterStatusOut } from './convert-messages.ts';
import type { GatewayConnection } from './gateway-connection.ts';
import { ClusterServiceService } from './internal.ts';
import { Idempotency } from './retry-policy.ts';
import type { ClusterStatus } from './types.ts';

/** ClusterService through the gateway: members, roles, versions, states and actors; drain. Admin scope. */
export class ClusterApi {
  constructor(private readonly connection: GatewayConnection) {}

  /** The members as the gateway's node sees them. */
  async getStatus(): Promise<ClusterStatus> {
    return clusterStatusOut(
      await this.connection.unary(
        ClusterServiceService.getClusterStatus,
        {},
        { authenticated: true, idempotency: Idempotency.IDEMPOTENT },
      ),
    );
  }

  /**
   * Asks `nodeId` to drain (its actors passivate and re-activate elsewhere, then it leaves); resolves
   * with the node that accepted the request. Retried only when the request never left this process:
   * a repeat after the node drained and came back would drain it again.
   */
  async drainNode(nodeId: string): Promise<string> {
    const answer = await this.connection.unary(
      ClusterServiceService.drainNode,
      { nodeId },
      { authenticated: true, idempotency: Idempotency.BEFORE_SEND_ONLY },
    );
    return answer.acceptedBy;
  }
}
