import { createHash } from 'node:crypto';
import { acquire } from '../../actors/principal/index.ts';
import type { AcquireReply, RateLimit } from '../../actors/principal/index.ts';
import type { ClusterNode } from '../../cluster/index.ts';
import { ResourceExhaustedError } from '../../domain/errors.ts';

/** Asks `principal/<key>` actors for rate-limit tokens; the limit holds across gateway nodes. */
export class PrincipalLimiter {
  constructor(
    private readonly cluster: ClusterNode,
    private readonly timeoutMs = 2_000,
  ) {}

  /** ResourceExhaustedError (with retry_after_ms) when the bucket is empty. */
  async acquire(key: string, bucket: string, limit: RateLimit, correlationId: string): Promise<void> {
    const reply = await this.cluster.request<AcquireReply, unknown>(
      `principal/${key}`,
      acquire(bucket, limit),
      {
        timeoutMs: this.timeoutMs,
        correlationId,
      },
    );
    if (!reply.allowed) {
      throw new ResourceExhaustedError(
        `rate limit of ${bucket} exceeded; retry in ${Math.ceil(reply.retryAfterMs / 1000)} s`,
        {
          details: { bucket, retryAfterMs: reply.retryAfterMs },
        },
      );
    }
  }
}

/** The principal key of a user. */
export function userKey(userId: string): string {
  return userId;
}

/** The principal key of a source address (calls made before authentication). */
export function addressKey(address: string | undefined): string {
  return `ip-${(address ?? 'unknown').replace(/[^A-Za-z0-9.:-]/g, '_')}`;
}

/** The principal key of a login name, hashed so that no e-mail appears in an identity or a log. */
export function accountKey(email: string): string {
  return `email-${createHash('sha256').update(email.toLowerCase(), 'utf8').digest('hex').slice(0, 32)}`;
}
