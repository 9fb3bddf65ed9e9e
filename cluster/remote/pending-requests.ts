import { AlreadyExistsError, DeadlineExceededError } from '../../domain/errors.ts';
import type { NinjaError } from '../../domain/errors.ts';
import type { Envelope } from '../../proto/index.ts';
import { EnvelopeKind } from '../../proto/index.ts';
import { errorFromDetail } from './errors.ts';

/** Outcome label of a finished request, for the latency histogram. */
export type RequestOutcome = 'ok' | 'error' | 'timeout' | 'unavailable';

type Resolve = (response: Envelope) => void;
type Reject = (error: NinjaError) => void;
const UNSET: Resolve & Reject = () => undefined;

/**
 * A request awaiting its answer. Kept small: it lives as long as the round trip, so it is among what
 * a scavenge during the round trip copies. The start is `deadlineMs - timeoutMs` (one number
 * stored, not two: each is a heap number). Not the request itself: its payload would be kept alive
 * for the round trip.
 */
interface Pending {
  readonly peerNodeId: string;
  readonly target: string;
  readonly type: string;
  readonly timeoutMs: number;
  /** performance.now() at the deadline, milliseconds. */
  readonly deadlineMs: number;
  readonly resolve: Resolve;
  readonly reject: Reject;
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

  /**
   * The promise executor, one for all requests: it hands resolve and reject over through these two
   * fields. A closure per request (and its context holding the request's fields) was a fifth of
   * what `add` allocated in a heap-sampling profile of the request bench.
   */
  private capturedResolve: Resolve = UNSET;
  private capturedReject: Reject = UNSET;
  private readonly capture = (resolve: Resolve, reject: Reject): void => {
    this.capturedResolve = resolve;
    this.capturedReject = reject;
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
    const answer = new Promise<Envelope>(this.capture);
    const deadlineMs = performance.now() + timeoutMs;
    this.byCorrelation.set(correlationId, {
      peerNodeId,
      target: request.target,
      type: request.type,
      timeoutMs,
      deadlineMs,
      resolve: this.capturedResolve,
      reject: this.capturedReject,
    });
    this.capturedResolve = UNSET;
    this.capturedReject = UNSET;
    if (deadlineMs < this.timerAt) this.arm(deadlineMs);
    return answer;
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
    this.onSettled('ok', elapsedSeconds(pending));
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
    this.onSettled(outcome, elapsedSeconds(pending));
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

function elapsedSeconds(pending: Pending): number {
  return (performance.now() - (pending.deadlineMs - pending.timeoutMs)) / 1e3;
}
