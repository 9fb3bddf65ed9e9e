import type { HandshakeInfo } from './frame-codec.ts';

/** Why a handshake is refused, or undefined when `received` is acceptable. */
export function handshakeProblem(
  received: HandshakeInfo,
  expected: { readonly clusterName: string; readonly protocolVersion: number; readonly nodeId?: string },
): { readonly reason: string; readonly message: string } | undefined {
  if (received.clusterName !== expected.clusterName) {
    return {
      reason: 'cluster',
      message: `cluster name mismatch: this node is in cluster "${expected.clusterName}", the peer says "${received.clusterName}"`,
    };
  }
  if (received.protocolVersion !== expected.protocolVersion) {
    return {
      reason: 'protocol',
      message: `protocol version mismatch: this node speaks ${String(expected.protocolVersion)}, the peer ${String(received.protocolVersion)}`,
    };
  }
  if (received.nodeId.length === 0) return { reason: 'node-id', message: 'the peer sent no node id' };
  if (expected.nodeId !== undefined && received.nodeId !== expected.nodeId) {
    return {
      reason: 'node-id',
      message: `node id mismatch: expected "${expected.nodeId}", the peer says "${received.nodeId}"`,
    };
  }
  return undefined;
}
