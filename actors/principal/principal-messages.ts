import type { ReplyTo } from '../kernel/index.ts';
import type { RateLimit } from './token-bucket.ts';

/** The answer to an `acquire`: whether the call may proceed, and if not, when to try again. */
export interface AcquireReply {
  readonly allowed: boolean;
  readonly retryAfterMs: number;
}

/**
 * Takes one token from the principal's bucket `bucket` (a method name, or e.g. `login`). The
 * gateway sends the limit with each request so that the policy lives in one place (the gateway's
 * method table) and a changed limit applies at once on every node.
 */
export interface AcquireMessage {
  readonly type: 'acquire';
  readonly bucket: string;
  readonly limit: RateLimit;
  readonly replyTo: ReplyTo<AcquireReply>;
}

export type PrincipalMessage = AcquireMessage;

export const PRINCIPAL_MESSAGE_TYPES = ['acquire'] as const;

/** Builds the `acquire` request for `ClusterNode.request`. */
export const acquire =
  (bucket: string, limit: RateLimit) =>
  (replyTo: ReplyTo<AcquireReply>): AcquireMessage => ({ type: 'acquire', bucket, limit, replyTo });
