import { AlreadyExistsError, DeadlineExceededError } from '../../domain/errors.ts';
import type { NinjaError } from '../../domain/errors.ts';
import type { Envelope } from '../../proto/index.ts';
import { EnvelopeKind } from '../../proto/index.ts';
import { errorFromDetail } from './errors.ts';

/** Outcome label of a finished request, for the latency histogram. */
export type RequestOutcome = 'ok' | 'error' | 'timeout' | 'unavailable';

interface Pending {
  readonly peerNodeId: string;
  readonly target: string;
  readonly type: string;
  readonly timeoutMs: number;
  /** performance.now() at the start and at the deadline, milliseconds. */
  readonly startedMs: number;
  readonly deadlineMs: number;
  readonly resolve: (response: Envelope) => void;
  readonly reject: (error: NinjaError) => void;
}

/**
 * Requests awaiting their RESPONSE or ERROR, by correlation id. Every entry ends exactly once: by
 * its answer, by its deadline, or by `failPeer` when the stream it went out on is lost.
 *
 * Deadlines share one timer, armed for the earliest deadline; when it fires, every expired entry
 * fails and the timer is re-armed for the next. A timer per request (a Timeout object, a timer-list
 * insertion and a clearTimeout per round trip) was a measurable share of a request's CPU, and its
 * objects a share of what the collector copies. With one timeout for all requests (the usual case)
 * the timer is re-armed only when it fires, and it is cleared whenever nothing is pending.
 */
export class PendingRequests {
  private readonly byCorrelation = new Map<string, Pending>();
  private timer: NodeJS.Timeout | undefined;
  /** When `timer` fires (performance.now() ms); +Infinity when it is not armed. */
  private timerAt = Number.POSITIVE_INFINITY;
  private readonly expire = (): void => {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    const now = performance.now();
    let next = Number.POSITIVE_INFINITY;
    for (const [correlationId, pending] of this.byCorrelation) {
      if (pending.deadlineMs <= now) {
        this.settle(
          correlationId,
          'timeout',
          new DeadlineExceededError(
            `request ${pending.type} to ${pending.target} on ${pending.peerNodeId} got no answer within ${String(pending.timeoutMs)} ms`,
            {
              details: {
                peerNodeId: pending.peerNodeId,
                correlationId,
                target: pending.target,
                type: pending.type,
                timeoutMs: pending.timeoutMs,
              },
            },
          ),
        );
      } else if (pending.deadlineMs < next) {
        next = pending.deadlineMs;
      }
    }
    if (next !== Number.POSITIVE_INFINITY && this.byCorrelation.size > 0) this.arm(next);
  };

  constructor(private readonly onSettled: (outcome: RequestOutcome, seconds: number) => void) {}

  get size(): number {
    return this.byCorrelation.size;
  }

  has(correlationId: string): boolean {
    return this.byCorrelation.has(correlationId);
  }

  /** Registers a request; the promise settles with its answer or a domain error. */
  add(peerNodeId: string, request: Envelope, timeoutMs: number): Promise<Envelope> {
    const correlationId = request.correlationId;
    if (this.byCorrelation.has(correlationId)) {
      return Promise.reject(
        new AlreadyExistsError(`a request with correlation id ${correlationId} is already pending`, {
          details: { peerNodeId, correlationId },
        }),
      );
    }
    return new Promise<Envelope>((resolve, reject) => {
      const startedMs = performance.now();
      const deadlineMs = startedMs + timeoutMs;
      this.byCorrelation.set(correlationId, {
        peerNodeId,
        target: request.target,
        type: request.type,
        timeoutMs,
        startedMs,
        deadlineMs,
        resolve,
        reject,
      });
      if (deadlineMs < this.timerAt) this.arm(deadlineMs);
    });
  }

  /** Settles the request answered by `response`; false when none is pending (late or unknown). */
  complete(response: Envelope): boolean {
    const pending = this.byCorrelation.get(response.correlationId);
    if (pending === undefined) return false;
    if (response.kind === EnvelopeKind.ENVELOPE_KIND_ERROR) {
      this.settle(
        response.correlationId,
        'error',
        errorFromDetail(response.error, {
          peerNodeId: pending.peerNodeId,
          correlationId: response.correlationId,
          target: pending.target,
          type: pending.type,
        }),
      );
      return true;
    }
    this.remove(response.correlationId);
    this.onSettled('ok', (performance.now() - pending.startedMs) / 1e3);
    pending.resolve(response);
    return true;
  }

  /** Fails one request (e.g. it could not be queued). */
  fail(correlationId: string, outcome: RequestOutcome, error: NinjaError): void {
    this.settle(correlationId, outcome, error);
  }

  /** Fails every request sent to `peerNodeId`; returns how many. */
  failPeer(peerNodeId: string, error: (correlationId: string) => NinjaError): number {
    let failed = 0;
    for (const [correlationId, pending] of this.byCorrelation) {
      if (pending.peerNodeId !== peerNodeId) continue;
      this.settle(correlationId, 'unavailable', error(correlationId));
      failed += 1;
    }
    return failed;
  }

  private settle(correlationId: string, outcome: RequestOutcome, error: NinjaError): void {
    const pending = this.byCorrelation.get(correlationId);
    if (pending === undefined) return;
    this.remove(correlationId);
    this.onSettled(outcome, (performance.now() - pending.startedMs) / 1e3);
    pending.reject(error);
  }

  private remove(correlationId: string): void {
    this.byCorrelation.delete(correlationId);
    // Nothing left to time out: an armed timer would only keep the process alive.
    if (this.byCorrelation.size === 0 && this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
    }
  }

  private arm(at: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerAt = at;
    // setTimeout may fire a fraction of a millisecond before `at`: then nothing has expired yet and
    // `expire` re-arms for the same deadline, so no request fails early.
    this.timer = setTimeout(this.expire, Math.max(1, Math.ceil(at - performance.now())));
  }
}
