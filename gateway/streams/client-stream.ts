import { ResourceExhaustedError } from '../../domain/errors.ts';
import type { StreamSink } from '../api/method-definition.ts';
import type { StreamMetrics } from './stream-metrics.ts';
import { directSinkOf } from './direct-sink.ts';
import type { DirectSink } from './direct-sink.ts';

/** When a client stream counts as too slow (see docs/gateway.md, "Slow clients"). */
export interface SlowClientPolicy {
  /** Messages queued for one client before its backlog is dropped. */
  readonly queueBound: number;
  /** Backlogs dropped in a row (the client never caught up in between) before it is disconnected. */
  readonly maxResyncs: number;
  /** One write the transport has not taken for this long disconnects the client (ms). */
  readonly stallMs: number;
}

export const DEFAULT_SLOW_CLIENT_POLICY: SlowClientPolicy = {
  queueBound: 256,
  maxResyncs: 3,
  stallMs: 10_000,
};

/** Ends a stream that stayed behind; the WebSocket gateway closes the connection on it. */
export class SlowClientError extends ResourceExhaustedError {}

export type StreamName = 'book' | 'trades';

/**
 * One client's market data stream: a bounded queue in front of the transport. A message goes
 * straight to the transport while it takes them (DirectSink.offer: no promise or closure per
 * message); once it pushes back, messages queue until it calls back, and the queue is then drained
 * in one go. A client whose queue reaches the bound loses its backlog: book streams get a fresh
 * snapshot instead (`resync`), trade streams lose the trades. After `maxResyncs` drops without
 * catching up, or one write the transport has not taken for `stallMs`, the stream ends with
 * RESOURCE_EXHAUSTED. Memory per client is thus bounded by `queueBound` messages plus what the
 * transport buffers.
 */
export class ClientStream<M> {
  private readonly queue: M[] = [];
  private readonly sink: DirectSink<M>;
  private resyncs = 0;
  /** Since when the transport has not taken more (undefined: it takes messages now). */
  private blockedSince: number | undefined;
  private failure: Error | undefined;
  /** The client went away (signal aborted); a field, as push reads it for every message. */
  private gone = false;
  private readonly halted: Promise<void>;
  private halt: () => void = () => undefined;
  private readonly resume = (): void => this.drain();
  private readonly broken = (error: unknown): void => this.end(error);

  constructor(
    readonly stream: StreamName,
    sink: StreamSink<M>,
    signal: AbortSignal,
    private readonly policy: SlowClientPolicy,
    private readonly metrics: StreamMetrics,
    /** The message that replaces a dropped backlog (book streams); undefined when there is none now. */
    private readonly resync: () => M | undefined,
  ) {
    this.sink = directSinkOf(sink);
    this.halted = new Promise((resolve) => {
      this.halt = resolve;
    });
    const leave = (): void => {
      this.gone = true;
      this.halt();
    };
    if (signal.aborted) leave();
    else signal.addEventListener('abort', leave, { once: true });
  }

  get ended(): boolean {
    return this.failure !== undefined || this.gone;
  }

  /** Hands one message to the transport or queues it (never blocks); applies the slow-client policy. */
  push(message: M): void {
    if (this.failure !== undefined || this.gone) return;
    const since = this.blockedSince;
    if (since === undefined) {
      this.write(message);
      return;
    }
    if (Date.now() - since > this.policy.stallMs) {
      this.fail(`the client took no data for ${this.policy.stallMs} ms`);
      return;
    }
    if (this.queue.length >= this.policy.queueBound) {
      this.dropBacklog();
      return;
    }
    this.queue.push(message);
  }

  /** Resolves when the client goes away; rejects with SlowClientError (or the transport's error). */
  async run(): Promise<void> {
    await this.halted;
    if (this.failure !== undefined) throw this.failure;
  }

  private write(message: M): void {
    this.metrics.unsent[this.stream] += 1;
    if (this.sink.offer(message)) return;
    this.blockedSince = Date.now();
    this.sink.onWritable(this.resume, this.broken);
  }

  /** The transport takes more: writes the queue until it is empty or the transport pushes back. */
  private drain(): void {
    this.blockedSince = undefined;
    while (this.blockedSince === undefined && !this.ended) {
      const next = this.queue.shift();
      if (next === undefined) {
        this.resyncs = 0;
        return;
      }
      this.write(next);
    }
  }

  private dropBacklog(): void {
    this.queue.length = 0;
    this.resyncs += 1;
    this.metrics.backlogsDropped.inc({ stream: this.stream });
    if (this.resyncs > this.policy.maxResyncs) {
      this.fail(`its backlog reached ${this.policy.queueBound} messages ${this.resyncs} times in a row`);
      return;
    }
    const replacement = this.resync();
    if (replacement !== undefined) this.queue.push(replacement);
  }

  private fail(reason: string): void {
    this.metrics.slowDisconnects.inc({ stream: this.stream });
    this.end(
      new SlowClientError(`stream ended: client too slow (${reason})`, {
        details: { slowClient: true },
      }),
    );
  }

  private end(error: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = error instanceof Error ? error : new Error(String(error));
    this.queue.length = 0;
    this.halt();
  }
}
