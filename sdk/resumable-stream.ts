import { setTimeout as sleep } from 'node:timers/promises';
import type { ClientReadableStream } from '@grpc/grpc-js';
import type { NinjaError } from './internal.ts';

export interface StreamResumeOptions {
  /** Give up after this many failed openings in a row (a received message resets the count). Default 8. */
  readonly maxConsecutiveFailures?: number;
  /** First wait before reopening. Default 200 ms. */
  readonly initialDelayMs?: number;
  /** Longest wait before reopening. Default 5 s. */
  readonly maxDelayMs?: number;
  /**
   * Called before each reopening. Messages sent while disconnected are not replayed: an order-update
   * consumer should reconcile with ListOrders here; a book stream starts again with a snapshot.
   */
  readonly onReconnect?: (info: { readonly attempt: number; readonly error: NinjaError }) => void;
}

export const DEFAULT_STREAM_RESUME = {
  maxConsecutiveFailures: 8,
  initialDelayMs: 200,
  maxDelayMs: 5_000,
} as const;

export interface StreamHooks {
  /** Opens the call (credentials resolved); called again for every reconnection. */
  readonly open: () => Promise<{ call: ClientReadableStream<unknown>; token: string | undefined }>;
  /** The typed error for what the call failed with. */
  readonly toError: (error: unknown) => NinjaError;
  /** UNAUTHENTICATED with this token: refresh it; resolves true when a new token may help. */
  readonly afterRejected: (token: string | undefined) => Promise<boolean>;
  readonly onReconnected: () => void;
  readonly signal?: AbortSignal | undefined;
}

/** The delay before reopening after `failures` failures in a row: doubling, capped. */
export function resumeDelayMs(
  failures: number,
  options: Required<Omit<StreamResumeOptions, 'onReconnect'>>,
): number {
  return Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** Math.max(0, failures - 1));
}

/**
 * A server stream as an async iterator that reopens the call when it breaks with a status where
 * trying again can help (UNAVAILABLE, ABORTED, ..., or UNAUTHENTICATED once the token is refreshed).
 * Ends when the server completes the stream; `break` out of the loop or abort the signal to cancel.
 */
export async function* resumableStream<T>(
  hooks: StreamHooks,
  map: (message: unknown) => T,
  options: StreamResumeOptions,
): AsyncGenerator<T, void, undefined> {
  const settings = { ...DEFAULT_STREAM_RESUME, ...options };
  let failures = 0;
  let refreshedAfterFailure = false;
  for (;;) {
    hooks.signal?.throwIfAborted();
    const { call, token } = await hooks.open();
    try {
      for await (const message of call) {
        failures = 0;
        refreshedAfterFailure = false;
        yield map(message);
      }
      return;
    } catch (raw) {
      const error = hooks.toError(raw);
      let again = error.retryable;
      if (error.code === 'UNAUTHENTICATED' && !refreshedAfterFailure) {
        refreshedAfterFailure = true;
        again = await hooks.afterRejected(token);
      }
      failures += 1;
      if (!again || failures > settings.maxConsecutiveFailures || hooks.signal?.aborted === true) throw error;
      settings.onReconnect?.({ attempt: failures, error });
      hooks.onReconnected();
      await sleep(resumeDelayMs(failures, settings), undefined, { signal: hooks.signal });
    } finally {
      call.cancel();
    }
  }
}
