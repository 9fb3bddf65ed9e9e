import { InvalidArgumentError } from '../../domain/errors.ts';
import { defineActor } from '../kernel/index.ts';
import type { ActorDefinition } from '../kernel/index.ts';
import type { PrincipalMessage } from './principal-messages.ts';
import { takeToken } from './token-bucket.ts';
import type { TokenBucket } from './token-bucket.ts';

export const PRINCIPAL_KIND = 'principal';

/** Buckets one principal may have: far more than the gateway has methods, so only abuse hits it. */
export const MAX_BUCKETS = 256;
const BUCKET_NAME = /^[A-Za-z0-9._/-]{1,128}$/;

export interface PrincipalState {
  readonly buckets: ReadonlyMap<string, TokenBucket>;
}

export interface PrincipalActorOptions {
  /** Clock; tests pass their own. */
  readonly now?: () => number;
}

/**
 * `principal/<key>`: the rate-limit state of one principal (a user id, or for calls made before
 * authentication `email-<hash>` / `ip-<address>`). The cluster keeps one activation of each
 * identity, so a limit holds across every gateway node. State is in memory only: after a failover
 * the buckets start full again, which errs towards letting a caller in rather than locking it out.
 */
export function principalActor(
  options: PrincipalActorOptions = {},
): ActorDefinition<PrincipalState, PrincipalMessage> {
  const now = options.now ?? Date.now;
  return defineActor<PrincipalState, PrincipalMessage>({
    kind: PRINCIPAL_KIND,
    initialState: () => ({ buckets: new Map() }),
    receive: (state, message, ctx) => {
      switch (message.type) {
        case 'acquire': {
          const { bucket: name, limit } = message;
          if (!BUCKET_NAME.test(name) || !(limit.burst >= 1) || !(limit.perSecond >= 0)) {
            ctx.fail(
              message.replyTo,
              new InvalidArgumentError('bucket', `malformed acquire for ${JSON.stringify(name)}`),
            );
            return state;
          }
          const buckets = new Map(state.buckets);
          if (!buckets.has(name) && buckets.size >= MAX_BUCKETS) {
            const oldest = buckets.keys().next();
            if (oldest.done !== true) buckets.delete(oldest.value);
          }
          const result = takeToken(buckets.get(name), limit, now());
          buckets.set(name, result.bucket);
          ctx.reply(message.replyTo, { allowed: result.allowed, retryAfterMs: result.retryAfterMs });
          return { buckets };
        }
      }
    },
  });
}
