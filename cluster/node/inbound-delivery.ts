import type { ActorRef, ActorSystem } from '../../actors/kernel/index.ts';
import { UnavailableError } from '../../domain/errors.ts';
import type { NinjaError } from '../../domain/errors.ts';
import { EnvelopeKind } from '../../proto/index.ts';
import type { Envelope } from '../../proto/index.ts';
import type { Identity } from '../identity.ts';
import type { KindRegistry } from '../kinds.ts';
import type { Member } from '../membership/member.ts';
import type { InboundPeer } from '../remote/index.ts';
import type { ClusterKind } from './cluster-kind.ts';

/** What delivering a peer's envelope needs from its node. */
export interface InboundContext {
  readonly nodeId: string;
  readonly kinds: KindRegistry;
  readonly system: ActorSystem;
  readonly defaultTimeoutMs: number;
  hosts(identityText: string): boolean;
  ownerOf(id: Identity): Member | undefined;
  implementation(kind: string): ClusterKind<unknown, unknown>;
  ensure(id: Identity, deadlineAt: number, correlationId: string): Promise<ActorRef<unknown>>;
  sendLocal(id: Identity, message: unknown, correlationId: string): void;
  /** Hands a one-way message that is not ours to the re-router (it goes to the owner in our view). */
  park(envelope: Envelope, reason: NinjaError): void;
}

/**
 * Delivers a MESSAGE or REQUEST from a peer. The node must host the identity or be its owner in its
 * own view; otherwise a request gets UNAVAILABLE (retryable: views are converging) and a message is
 * re-routed. Errors thrown here answer the request (the transport does it).
 */
export async function deliverInbound(
  ctx: InboundContext,
  envelope: Envelope,
  from: InboundPeer,
): Promise<void> {
  const id = ctx.kinds.parse(envelope.target);
  const kind = ctx.implementation(id.kind);
  const request = envelope.kind === EnvelopeKind.ENVELOPE_KIND_REQUEST;
  // A request's correlation id is the transport's own (it matches the answer); the caller's
  // correlation id, the one its logs carry, travels as the trace id (cluster-router.ts).
  const correlationId = request && envelope.traceId.length > 0 ? envelope.traceId : envelope.correlationId;
  if (!ctx.hosts(id.text) && ctx.ownerOf(id)?.nodeId !== ctx.nodeId) {
    const notOurs = new UnavailableError(
      `${id.text} is not hosted by ${ctx.nodeId} in its view of the cluster; retry`,
      {
        details: { identity: id.text, from: from.peerNodeId, correlationId },
      },
    );
    if (request) throw notOurs;
    ctx.park(envelope, notOurs);
    return;
  }
  if (!request) {
    ctx.sendLocal(
      id,
      kind.codec.decodeMessage(envelope.type, envelope.payload, undefined),
      envelope.correlationId,
    );
    return;
  }
  const deadlineAt =
    envelope.deadlineUnixMs > 0n ? Number(envelope.deadlineUnixMs) : Date.now() + ctx.defaultTimeoutMs;
  const ref = await ctx.ensure(id, deadlineAt, correlationId);
  const reply = await ctx.system.request<unknown, unknown>(
    ref,
    (replyTo) => kind.codec.decodeMessage(envelope.type, envelope.payload, replyTo),
    { timeoutMs: Math.max(1, deadlineAt - Date.now()), correlationId },
  );
  from.respond(envelope, kind.codec.encodeReply(reply));
}
