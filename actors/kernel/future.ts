import { DeadlineExceededError } from '../../domain/errors.ts';
import { ReplyTo } from './reply-to.ts';

/** One request waiting for its reply. */
interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly startedAt: number;
  /** `performance.now()` after which the request fails with DeadlineExceeded. */
  readonly deadline: number;
  readonly kind: string;
  readonly identity: string;
  readonly timeoutMs: number;
  readonly correlationId: string;
}

/** Called once per settled request with its kind and round-trip seconds (for the latency histogram). */
export type RequestObserver = (kind: string, seconds: number) => void;

/**
 * The requests of one system awaiting replies, by request id. Each has its own deadline; whichever
 * comes first (reply, failure, deadline) settles it and the rest are ignored.
 *
 * Deadlines share one timer, armed for the earliest deadline it knows of: a request whose deadline
 * is later than the armed one arms nothing (a timer and its closure per request were the largest
 * allocation left on an actor request's path), and a reply does not disarm it. When it fires it
 * fails the requests past their deadline and re-arms for the earliest left. While nothing is
 * pending the timer does not keep the process alive.
 */
export class PendingRequests {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private timer: NodeJS.Timeout | undefined;
  /** When the timer fires (`performance.now()` clock); Infinity while none is armed. */
  private armedFor = Number.POSITIVE_INFINITY;

  constructor(
    private readonly system: string,
    private readonly observe: RequestObserver,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  /** Registers a request and returns its reply address and the promise of its reply. */
  open<Reply>(
    kind: string,
    identity: string,
    correlationId: string | undefined,
    timeoutMs: number,
  ): { readonly replyTo: ReplyTo<Reply>; readonly reply: Promise<Reply> } {
    const requestId = this.nextId++;
    const replyTo = new ReplyTo<Reply>(this.system, requestId, correlationId);
    const startedAt = performance.now();
    const deadline = startedAt + timeoutMs;
    const reply = new Promise<Reply>((resolve, reject) => {
      this.pending.set(requestId, {
        resolve: resolve as (value: unknown) => void,
        reject,
        startedAt,
        deadline,
        kind,
        identity,
        timeoutMs,
        correlationId: replyTo.correlationId,
      });
    });
    if (deadline < this.armedFor) this.arm(deadline);
    else if (this.pending.size === 1) this.timer?.ref();
    return { replyTo, reply };
  }

  private arm(at: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.armedFor = at;
    this.timer = setTimeout(() => this.expire(), Math.max(0, at - performance.now()));
  }

  /** Fails the requests past their deadline; re-arms for the earliest deadline left. */
  private expire(): void {
    this.timer = undefined;
    this.armedFor = Number.POSITIVE_INFINITY;
    const now = performance.now();
    let earliest = Number.POSITIVE_INFINITY;
    const expired: [number, Pending][] = [];
    for (const entry of this.pending) {
      if (entry[1].deadline <= now) expired.push(entry);
      else if (entry[1].deadline < earliest) earliest = entry[1].deadline;
    }
    for (const [requestId, p] of expired) {
      this.reject(
        requestId,
        new DeadlineExceededError(`request to ${p.identity} got no reply within ${p.timeoutMs} ms`, {
          details: { actor: p.identity, timeoutMs: p.timeoutMs, correlationId: p.correlationId },
        }),
      );
    }
    if (earliest !== Number.POSITIVE_INFINITY && this.armedFor === Number.POSITIVE_INFINITY)
      this.arm(earliest);
  }

  /** Settles with a value; false when the request is no longer pending (late or duplicate reply). */
  resolve(requestId: number, value: unknown): boolean {
    const entry = this.take(requestId);
    if (entry === undefined) return false;
    entry.resolve(value);
    return true;
  }

  reject(requestId: number, error: Error): boolean {
    const entry = this.take(requestId);
    if (entry === undefined) return false;
    entry.reject(error);
    return true;
  }

  /** Fails every pending request (system shutdown). */
  rejectAll(error: () => Error): void {
    for (const requestId of [...this.pending.keys()]) this.reject(requestId, error());
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = Number.POSITIVE_INFINITY;
  }

  private take(requestId: number): Pending | undefined {
    const entry = this.pending.get(requestId);
    if (entry === undefined) return undefined;
    this.pending.delete(requestId);
    // Nothing pending: the armed timer (if any) must not hold the process open.
    if (this.pending.size === 0) this.timer?.unref();
    this.observe(entry.kind, (performance.now() - entry.startedAt) / 1000);
    return entry;
  }
}
