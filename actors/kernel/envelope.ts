import { nextCorrelationId } from './correlation-id.ts';
import type { ReplyTo } from './reply-to.ts';

export const EnvelopeType = {
  /** A message from `send` or `request`. */
  USER: 0,
  /** Runs initialState; the first envelope of every activation. */
  INIT: 1,
  /** A failure escalated by a child: the receiving actor fails with it. */
  FAILURE: 2,
  /** Runs the definition's `passivate` hook with the state (in message order); the actor then stops. */
  PASSIVATE: 3,
} as const;
export type EnvelopeType = (typeof EnvelopeType)[keyof typeof EnvelopeType];

/**
 * What travels through nact: the message with its correlation id and, for a request, its reply
 * address. A message sent without a correlation id gets one when something first reads it (a log
 * line, a forward, a dead letter): most messages are never observed, and a million queued ids cost
 * more garbage-collection time than nact's whole dispatch.
 */
export class Envelope {
  private assignedCorrelationId: string | undefined;

  constructor(
    readonly type: EnvelopeType,
    readonly message: unknown,
    correlationId: string | undefined,
    readonly replyTo: ReplyTo<never> | undefined,
  ) {
    this.assignedCorrelationId = correlationId;
  }

  get correlationId(): string {
    // A request's envelope and its reply address share one id.
    this.assignedCorrelationId ??= this.replyTo?.correlationId ?? nextCorrelationId();
    return this.assignedCorrelationId;
  }
}
