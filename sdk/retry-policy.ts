import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import type { NinjaError } from './internal.ts';
import { GatewayUnreachableError } from './errors.ts';

/**
 * How safe it is to send a call again after a failure whose outcome is unknown.
 * - `idempotent`: repeating has the same effect as sending once (reads, cancels, revokes, a
 *   PlaceOrder that carries a client order id).
 * - `before-send-only`: repeating could act twice (Login opens a second session, Refresh rotates
 *   the token); only retried when the request provably never left this process.
 * - `never`: not retried at all (a PlaceOrder without a client order id).
 */
export const Idempotency = {
  IDEMPOTENT: 'idempotent',
  BEFORE_SEND_ONLY: 'before-send-only',
  NEVER: 'never',
} as const;
export type Idempotency = (typeof Idempotency)[keyof typeof Idempotency];

/** Whether an attempt that failed with `error` may be sent again. */
export function isRetryable(error: NinjaError, idempotency: Idempotency): boolean {
  switch (idempotency) {
    case Idempotency.NEVER:
      return false;
    case Idempotency.BEFORE_SEND_ONLY:
      return error instanceof GatewayUnreachableError;
    case Idempotency.IDEMPOTENT:
      // UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED and RESOURCE_EXHAUSTED are the retryable statuses.
      return error.retryable;
  }
}

export interface RetryOptions {
  /** Attempts in total, the first included; 1 disables retries. Default 4. */
  readonly maxAttempts?: number;
  /** First backoff delay. Default 100 ms. */
  readonly initialDelayMs?: number;
  /** Largest backoff delay. Default 2 s. */
  readonly maxDelayMs?: number;
}

export const DEFAULT_RETRY: Required<RetryOptions> = {
  maxAttempts: 4,
  initialDelayMs: 100,
  maxDelayMs: 2_000,
};

/**
 * Runs `attempt` until it succeeds, fails with an error `isRetryable` refuses, or the attempts are
 * used up; waits with exponential backoff and decorrelated jitter (cockatiel) in between.
 * `onRetry` sees each failure that is retried.
 */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  idempotency: Idempotency,
  options: Required<RetryOptions>,
  onRetry: (error: NinjaError, attempt: number) => void,
  signal?: AbortSignal,
): Promise<T> {
  if (options.maxAttempts <= 1 || idempotency === Idempotency.NEVER) return attempt();
  const policy = retry(
    handleWhen((error) => isNinjaLike(error) && isRetryable(error, idempotency)),
    {
      maxAttempts: options.maxAttempts - 1,
      backoff: new ExponentialBackoff({ initialDelay: options.initialDelayMs, maxDelay: options.maxDelayMs }),
    },
  );
  policy.onRetry((event) => {
    if ('error' in event && isNinjaLike(event.error)) onRetry(event.error, event.attempt);
  });
  return policy.execute(() => attempt(), signal);
}

function isNinjaLike(error: unknown): error is NinjaError {
  return error instanceof Error && typeof (error as Partial<NinjaError>).retryable === 'boolean';
}
