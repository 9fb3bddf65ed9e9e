import { ResourceExhaustedError } from '../../domain/errors.ts';
import type { StreamSink } from '../api/method-definition.ts';
import type { StreamMetrics } from './stream-metrics.ts';

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
 * One client's market data stream: a bounded queue drained into the transport's sink, one write at
 * a time (a write resolves when the transport can take more: gRPC `write()` / `drain`, ws
 * `bufferedAmount`). A client whose queue reaches the bound loses its backlog: book streams get a
 * fresh snapshot instead (`resync`), trade streams lose the trades. After `maxResyncs` drops
 * without catching up, or one write stalled past `stallMs`, the stream ends with RESOURCE_EXHAUSTED.
 * Memory per client is thus bounded by `queueBound` messages plus what the transport buffers.
 */
export class ClientStream<M> {
  private readonly queue: M[] = [];
  private resyncs = 0;
  private writingSince: number | undefined;
  private wake: (() => void) | undefined;
  private failure: SlowClientError | undefined;
  private readonly halted: Promise<void>;
  private halt: () => void = () => undefined;

  constructor(
    readonly stream: StreamName,
    private readonly sink: StreamSink<M>,
    private readonly signal: AbortSignal,
    private readonly policy: SlowClientPolicy,
    private readonly metrics: StreamMetrics,
    /** The message that replaces a dropped backlog (book streams); undefined when there is none now. */
    private readonly resync: () => M | undefined,
  ) {
    this.halted = new Promise((resolve) => {
      this.halt = resolve;
    });
    if (signal.aborted) this.halt();
    else signal.addEventListener('abort', () => this.halt(), { once: true });
  }

  get ended(): boolean {
    return this.failure !== undefined || this.signal.aborted;
  }

  /** Queues one message (never blocks); applies the slow-client policy. */
  push(message: M): void {
    if (this.ended) return;
    const since = this.writingSince;
    if (since !== undefined && Date.now() - since > this.policy.stallMs) {
      this.fail(`the client took no data for ${this.policy.stallMs} ms`);
      return;
    }
    if (this.queue.length >= this.policy.queueBound) {
      this.dropBacklog();
      return;
    }
    this.queue.push(message);
    this.wakeUp();
  }

  /** Drains the queue into the sink until the client goes away; rejects with SlowClientError. */
  async run(): Promise<void> {
    while (!this.ended) {
      const next = this.queue.shift();
      if (next === undefined) {
        this.resyncs = 0;
        await Promise.race([new Promise<void>((resolve) => (this.wake = resolve)), this.halted]);
        this.wake = undefined;
        continue;
      }
      this.writingSince = Date.now();
      await Promise.race([this.sink.write(next), this.halted]);
      this.writingSince = undefined;
      this.metrics.messagesSent.inc({ stream: this.stream });
    }
    if (this.failure !== undefined) throw this.failure;
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
    this.wakeUp();
  }

  private fail(reason: string): void {
    this.metrics.slowDisconnects.inc({ stream: this.stream });
    this.failure = new SlowClientError(`stream ended: client too slow (${reason})`, {
      details: { slowClient: true },
    });
    this.queue.length = 0;
    this.halt();
  }

  private wakeUp(): void {
    this.wake?.();
  }
}
