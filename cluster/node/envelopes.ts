import { isNinjaError } from '../../domain/errors.ts';
import type { NinjaError } from '../../domain/errors.ts';
import type { Envelope, EnvelopeKind } from '../../proto/index.ts';
import type { Identity } from '../identity.ts';
import type { KindDefinition } from '../kinds.ts';

/** The envelope of a message or request to `id`; the transport sets the deadline of requests. */
export function envelopeOf(
  id: Identity,
  sender: string,
  type: string,
  payload: Uint8Array,
  correlationId: string,
  kind: EnvelopeKind,
): Envelope {
  return {
    target: id.text,
    sender,
    type,
    payload: Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength),
    correlationId,
    traceId: '',
    deadlineUnixMs: 0n,
    kind,
    error: undefined,
  };
}

/** Same roles and key shape: a kind may be registered again only as it already is. */
export function sameShape(a: KindDefinition, b: KindDefinition): boolean {
  return (
    a.keySegments === b.keySegments &&
    a.roles.length === b.roles.length &&
    a.roles.every((role) => b.roles.includes(role))
  );
}

/** Whether an error says the request may be retried (e.g. the owner moved). */
export function isRetryable(error: unknown): error is NinjaError {
  return isNinjaError(error) && error.retryable;
}
