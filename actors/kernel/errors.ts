/**
 * Errors raised by the actor kernel. Most kernel failures reuse the domain errors, named for their
 * gRPC status: NotFoundError (request to an identity never spawned), UnavailableError (request to a
 * stopped actor), ResourceExhaustedError (mailbox full), DeadlineExceededError (request timeout).
 */
import { AbortedError, InternalError } from '../../domain/errors.ts';
import type { NinjaErrorOptions } from '../../domain/errors.ts';

/**
 * A journal or snapshot write carried an activation epoch that is no longer the identity's current
 * one: a newer activation exists, so this one is a zombie. This activation can never write again:
 * the actor stops itself. `retryable` stays true (as for every ABORTED): the caller's retry reaches
 * the newer activation, which recovered every event this one wrote.
 */
export class StaleEpochError extends AbortedError {
  readonly identity: string;
  readonly epoch: bigint;
  constructor(identity: string, epoch: bigint, message: string, options: NinjaErrorOptions = {}) {
    super(message, { ...options, details: { ...options.details, identity, epoch: String(epoch) } });
    this.identity = identity;
    this.epoch = epoch;
  }
}

/**
 * A child escalated a failure: the parent handles it as its own failure, with its own policy.
 * `cause` is the child's original error.
 */
export class EscalatedFailureError extends InternalError {
  /** The identity of the child that escalated. */
  readonly child: string;
  constructor(child: string, reason: string, cause: unknown) {
    super(`actor ${child} escalated a failure: ${reason}`, { cause, details: { child } });
    this.child = child;
  }
}
