import { performance } from 'node:perf_hooks';
import { DeadlineExceededError } from '../../domain/errors.ts';
import { ReplyTo } from './reply-to.ts';

/** One request waiting for its reply. */
interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
  readonly startedAt: number;
  readonly kind: string;
}

/** Called once per settled request with its kind and round-trip seconds (for the latency histogram). */
export type RequestObserver = (kind: string, seconds: number) => void;

/**
 * The requests of one system awaiting replies, by request id. Each has its own deadline; whichever
 * comes first (reply, failure, deadline) settles it and the rest are ignored.
 */
export class PendingRequests {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

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
    const reply = new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.reject(
          requestId,
          new DeadlineExceededError(`request to ${identity} got no reply within ${timeoutMs} ms`, {
            details: { actor: identity, timeoutMs, correlationId: replyTo.correlationId },
          }),
        );
      }, timeoutMs);
      this.pending.set(requestId, {
        resolve: resolve as (value: unknown) => void,
        reject,
        timer,
        startedAt: performance.now(),
        kind,
      });
    });
    return { replyTo, reply };
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
  }

  private take(requestId: number): Pending | undefined {
    const entry = this.pending.get(requestId);
    if (entry === undefined) return undefined;
    this.pending.delete(requestId);
    clearTimeout(entry.timer);
    this.observe(entry.kind, (performance.now() - entry.startedAt) / 1000);
    return entry;
  }
}
