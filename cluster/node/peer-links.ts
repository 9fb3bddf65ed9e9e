import type { Logger } from '../../observability/index.ts';
import type { Member } from '../membership/member.ts';
import { EndpointState } from '../remote/index.ts';
import type { RemoteTransport } from '../remote/index.ts';

/** Keeps one transport connection per live peer, following the membership. */
export class PeerLinks {
  private readonly addresses = new Map<string, string>();

  constructor(
    private readonly transport: RemoteTransport,
    private readonly logger: Logger,
  ) {}

  /** Connects to `member` unless it is this node, leaving, or already connected at that address. */
  follow(member: Member, selfNodeId: string): void {
    if (member.nodeId === selfNodeId || member.state === 'leaving') return;
    const known = this.addresses.get(member.nodeId);
    if (known === member.address) return;
    if (known !== undefined) this.forget(member.nodeId);
    this.addresses.set(member.nodeId, member.address);
    this.transport.connect(member.nodeId, member.address).catch((error: unknown) => {
      // The endpoint keeps redialing with backoff; queued messages come back through onUndeliverable.
      this.logger.warn(
        { err: error, peer: member.nodeId, address: member.address },
        'first dial of a peer failed',
      );
    });
  }

  /** Closes the connection to a peer that left; its queued messages are handed back for re-routing. */
  forget(nodeId: string): void {
    if (!this.addresses.delete(nodeId)) return;
    this.transport.disconnect(nodeId).catch((error: unknown) => {
      this.logger.warn({ err: error, peer: nodeId }, 'disconnecting a peer failed');
    });
  }

  isConnected(nodeId: string): boolean {
    return this.transport
      .peers()
      .some((peer) => peer.peerNodeId === nodeId && peer.state === EndpointState.CONNECTED);
  }
}
