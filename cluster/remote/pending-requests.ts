import { AlreadyExistsError, DeadlineExceededError } from '../../domain/errors.ts';
import type { NinjaError } from '../../domain/errors.ts';
import { newCorrelationId } from '../../observability/index.ts';
import type { Envelope } from '../../proto/index.ts';
import { EnvelopeKind } from '../../proto/index.ts';
import { errorFromDetail } from './errors.ts';

/** Outcome label of a finished request, for the latency histogram. */
export type RequestOutcome = 'ok' | 'error' | 'timeout' | 'unavailable';

type Resolve = (response: Envelope) => void;
type Reject = (error: NinjaError) => void;
const UNSET: Resolve & Reject = () => undefined;

/** Slots of the ring of requests with generated correlation ids (a power of two). */
const RING_SLOTS = 1024;
const RING_MASK = RING_SLOTS - 1;
/** Digits of a generated id's sequence number at most (below 2^53). */
const MAX_SEQUENCE_DIGITS = 15;

/**
 * A request awaiting its answer. Kept small: it lives as long as the round trip, so it is among what
 * a scavenge during the round trip copies. The start is `deadlineMs - timeoutMs` (one number
 * stored, not two: each is a heap number). Not the request itself: its payload would be kept alive
 * for the round trip.
 */
interface Pending {
  readonly correlationId: string;
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
 * Correlation ids generated here (`nextCorrelationId`: a random per-instance prefix and a sequence
 * number) are kept in a ring indexed by the sequence number, found again by parsing the number
 * back out of the answer's id and comparing the whole id. A Map keyed by id grew and shrank its
 * table as the few requests in flight came and went (V8 rehashes a Map on growth and on shrinking
 * below a quarter full): ≈ 145 bytes per request in a heap-sampling profile. Ids given by the
 * caller, and generated ones whose slot is still taken by a request 1,024 sequence numbers older,
 * go to a Map.
 *
 * Deadlines share one timer, armed for the earliest deadline; when it fires, every expired entry
 * fails and the timer is re-armed for the next. A timer per request (a Timeout object, a timer-list
 * insertion and a clearTimeout per round trip) was a measurable share of a request's CPU, and its
 * objects a share of what the collector copies. With one timeout for all requests (the usual case)
 * the timer is re-armed only when it fires. When nothing is pending it stays armed but unreferenced,
 * so it keeps no process alive, and the next request only references it again: clearing it there
 * meant a new Timeout, timer list and priority-queue entry for every burst of requests answered
 * before the next (every millisecond at 10,000 paced requests a second), and it fires harmlessly
 * (nothing expired) if no request comes before it.
 */
export class PendingRequests {
  private readonly ring = new Array<Pending | undefined>(RING_SLOTS).fill(undefined);
  private inRing = 0;
  private readonly others = new Map<string, Pending>();
  private sequence = 0;
  private timer: NodeJS.Timeout | undefined;
  /** When `timer` fires (performance.now() ms); +Infinity when it is not armed. */
  private timerAt = Number.POSITIVE_INFINITY;
  /** `timer` is referenced (keeps the process alive): exactly while requests are pending. */
  private timerReferenced = false;
  private readonly expire = (): void => {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    this.timerReferenced = false;
    const now = performance.now();
    let next = Number.POSITIVE_INFINITY;
    for (const pending of this.entries()) {
      if (pending.deadlineMs <= now) {
        this.settle(
          pending,
          'timeout',
          new DeadlineExceededError(
            `request ${pending.type} to ${pending.target} on ${pending.peerNodeId} got no answer within ${String(pending.timeoutMs)} ms`,
            {
              details: {
                peerNodeId: pending.peerNodeId,
                correlationId: pending.correlationId,
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
    if (next !== Number.POSITIVE_INFINITY && this.size > 0) this.arm(next);
  };

  /**
   * The promise executor, one for all requests: it hands resolve and reject over through these two
   * fields. A closure per request (and its context holding the request's fields) was a third of
   * what `add` allocated in a heap-sampling profile.
   */
  private capturedResolve: Resolve = UNSET;
  private capturedReject: Reject = UNSET;
  private readonly capture = (resolve: Resolve, reject: Reject): void => {
    this.capturedResolve = resolve;
    this.capturedReject = reject;
  };

  /**
   * @param prefix of generated correlation ids: unique among this instance's pending requests
   *   whatever it is; random by default so that ids in logs tell transports apart.
   */
  constructor(
    private readonly onSettled: (outcome: RequestOutcome, seconds: number) => void,
    private readonly prefix = `${newCorrelationId().slice(0, 8)}-`,
  ) {}

  get size(): number {
    return this.inRing + this.others.size;
  }

  has(correlationId: string): boolean {
    return this.find(correlationId) !== undefined;
  }

  /** A fresh correlation id: the prefix and a sequence number (cheaper than a UUID per request). */
  nextCorrelationId(): string {
    this.sequence += 1;
    return this.prefix + String(this.sequence);
  }

  /** Registers a request; the promise settles with its answer or a domain error. */
  add(peerNodeId: string, request: Envelope, timeoutMs: number): Promise<Envelope> {
    const correlationId = request.correlationId;
    if (this.has(correlationId)) {
      return Promise.reject(
        new AlreadyExistsError(`a request with correlation id ${correlationId} is already pending`, {
          details: { peerNodeId, correlationId },
        }),
      );
    }
    const answer = new Promise<Envelope>(this.capture);
    const deadlineMs = performance.now() + timeoutMs;
    const pending: Pending = {
      correlationId,
      peerNodeId,
      target: request.target,
      type: request.type,
      timeoutMs,
      deadlineMs,
      resolve: this.capturedResolve,
      reject: this.capturedReject,
    };
    this.capturedResolve = UNSET;
    this.capturedReject = UNSET;
    const sequence = this.sequenceOf(correlationId);
    if (sequence >= 0 && this.ring[sequence & RING_MASK] === undefined) {
      this.ring[sequence & RING_MASK] = pending;
      this.inRing += 1;
    } else {
      this.others.set(correlationId, pending);
    }
    if (deadlineMs < this.timerAt) this.arm(deadlineMs);
    else if (!this.timerReferenced) this.reference(true);
    return answer;
  }

  /** Settles the request answered by `response`; false when none is pending (late or unknown). */
  complete(response: Envelope): boolean {
    const pending = this.find(response.correlationId);
    if (pending === undefined) return false;
    if (response.kind === EnvelopeKind.ENVELOPE_KIND_ERROR) {
      this.settle(
        pending,
        'error',
        errorFromDetail(response.error, {
          peerNodeId: pending.peerNodeId,
          correlationId: pending.correlationId,
          target: pending.target,
          type: pending.type,
        }),
      );
      return true;
    }
    this.remove(pending);
    this.onSettled('ok', elapsedSeconds(pending));
    pending.resolve(response);
    return true;
  }

  /** Fails one request (e.g. it could not be queued). */
  fail(correlationId: string, outcome: RequestOutcome, error: NinjaError): void {
    const pending = this.find(correlationId);
    if (pending !== undefined) this.settle(pending, outcome, error);
  }

  /** Fails every request sent to `peerNodeId`; returns how many. */
  failPeer(peerNodeId: string, error: (correlationId: string) => NinjaError): number {
    let failed = 0;
    for (const pending of this.entries()) {
      if (pending.peerNodeId !== peerNodeId) continue;
      this.settle(pending, 'unavailable', error(pending.correlationId));
      failed += 1;
    }
    return failed;
  }

  /** Every pending request: those in the ring oldest first, then the others in insertion order. */
  private entries(): Pending[] {
    const all: Pending[] = [];
    if (this.inRing > 0) {
      for (let i = 1; i <= RING_SLOTS; i += 1) {
        const pending = this.ring[(this.sequence + i) & RING_MASK];
        if (pending !== undefined) all.push(pending);
      }
    }
    for (const pending of this.others.values()) all.push(pending);
    return all;
  }

  private find(correlationId: string): Pending | undefined {
    const sequence = this.sequenceOf(correlationId);
    if (sequence >= 0) {
      const pending = this.ring[sequence & RING_MASK];
      if (pending !== undefined && pending.correlationId === correlationId) return pending;
    }
    return this.others.size === 0 ? undefined : this.others.get(correlationId);
  }

  /** The sequence number of an id of the form `prefix` + digits; -1 for any other id. */
  private sequenceOf(correlationId: string): number {
    const start = this.prefix.length;
    const end = correlationId.length;
    if (end <= start || end - start > MAX_SEQUENCE_DIGITS || !correlationId.startsWith(this.prefix)) {
      return -1;
    }
    let sequence = 0;
    for (let i = start; i < end; i += 1) {
      const digit = correlationId.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) return -1;
      sequence = sequence * 10 + digit;
    }
    return sequence;
  }

  private settle(pending: Pending, outcome: RequestOutcome, error: NinjaError): void {
    this.remove(pending);
    this.onSettled(outcome, elapsedSeconds(pending));
    pending.reject(error);
  }

  private remove(pending: Pending): void {
    const sequence = this.sequenceOf(pending.correlationId);
    if (sequence >= 0 && this.ring[sequence & RING_MASK] === pending) {
      this.ring[sequence & RING_MASK] = undefined;
      this.inRing -= 1;
    } else {
      this.others.delete(pending.correlationId);
    }
    // Nothing left to time out: the timer stays armed for the next request but keeps no process alive.
    if (this.size === 0 && this.timerReferenced) this.reference(false);
  }

  private arm(at: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerAt = at;
    // setTimeout may fire a fraction of a millisecond before `at`: then nothing has expired yet and
    // `expire` re-arms for the same deadline, so no request fails early.
    this.timer = setTimeout(this.expire, Math.max(1, Math.ceil(at - performance.now())));
    this.timerReferenced = true;
  }

  private reference(referenced: boolean): void {
    this.timerReferenced = referenced;
    if (referenced) this.timer?.ref();
    else this.timer?.unref();
  }
}

function elapsedSeconds(pending: Pending): number {
  return (performance.now() - (pending.deadlineMs - pending.timeoutMs)) / 1e3;
}
