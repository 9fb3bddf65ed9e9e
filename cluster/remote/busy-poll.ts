/**
 * An idle strategy for the event loop (as Aeron's idle strategies and Akka Artery's
 * `idle-cpu-level`): for a bounded time after remote traffic, keep the loop polling instead of
 * letting it sleep in the kernel until the next packet, so that an answer or a request that
 * arrives meanwhile is read without the wake-up of a sleeping thread (on the development VM a
 * sleeping vCPU takes up to milliseconds to wake: see docs/remoting.md, "Session 8").
 *
 * Polling is a chain of `setImmediate` turns: while an immediate is queued, libuv polls for I/O
 * with a zero timeout instead of blocking. Each turn also spins in JavaScript for up to
 * `spinMicros` before it yields to libuv (an I/O event that arrives meanwhile waits at most that
 * long), because every turn allocates an Immediate: a bare chain ran ~700,000 turns a second and
 * a scavenge every few milliseconds. Off by default; it costs a core while it polls.
 */
import type { Counter } from 'prom-client';

export interface BusyPollOptions {
  /** Keep polling while this node's requests are pending, up to this long after the last was sent (µs); 0: never. */
  readonly whilePendingMicros: number;
  /** Keep polling this long after each frame read from a peer (µs); 0: never. */
  readonly afterInboundMicros: number;
  /** JavaScript spin per polling turn before libuv polls again (µs). */
  readonly spinMicros: number;
}

export const NO_BUSY_POLL: BusyPollOptions = Object.freeze({
  whilePendingMicros: 0,
  afterInboundMicros: 0,
  spinMicros: 0,
});

/**
 * Iterations of the spin between clock reads (≈ 2 µs here). Each `performance.now()` allocates a
 * heap number: reading it every 256 iterations (≈ 6 M reads a second) made a spinning process
 * scavenge ~100 times a second, every 4,096 ~15 times (mostly the turns' Immediates).
 */
const SPIN_CHECK_EVERY = 4096;

export class BusyPoller {
  readonly enabled: boolean;
  private running = false;
  /** Poll until then (performance.now() ms) while requests are pending. */
  private pendingUntil = 0;
  /** Poll until then regardless. */
  private inboundUntil = 0;
  private startedAt = 0;
  private spinSink = 0;
  private readonly turn = (): void => {
    const now = this.now();
    if (now >= this.inboundUntil && (now >= this.pendingUntil || !this.hasPending())) {
      this.running = false;
      this.polled.inc((now - this.startedAt) / 1000);
      return;
    }
    if (this.spinMs > 0) this.spin(now + this.spinMs);
    setImmediate(this.turn);
  };
  private readonly spinMs: number;

  /**
   * `hasPending` says whether requests of this node are awaiting answers; `polled` counts the
   * seconds spent polling (`ninja_remote_busy_poll_seconds_total`); `now` is the clock in ms.
   */
  constructor(
    private readonly options: BusyPollOptions,
    private readonly hasPending: () => boolean,
    private readonly polled: Counter,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.enabled = options.whilePendingMicros > 0 || options.afterInboundMicros > 0;
    this.spinMs = options.spinMicros / 1000;
  }

  /** Whether the loop is being kept polling now. */
  get polling(): boolean {
    return this.running;
  }

  /** A request went out: poll while it (or any other) is pending, within the bound. */
  requestSent(): void {
    if (this.options.whilePendingMicros <= 0) return;
    this.pendingUntil = this.now() + this.options.whilePendingMicros / 1000;
    this.start();
  }

  /** A frame came in from a peer: poll for the bound after it. */
  frameReceived(): void {
    if (this.options.afterInboundMicros <= 0) return;
    this.inboundUntil = this.now() + this.options.afterInboundMicros / 1000;
    this.start();
  }

  private start(): void {
    if (this.running) return;
    this.running = true;
    this.startedAt = this.now();
    setImmediate(this.turn);
  }

  private spin(until: number): void {
    let sink = this.spinSink;
    for (;;) {
      for (let i = 0; i < SPIN_CHECK_EVERY; i += 1) sink = (sink + i) | 0;
      if (this.now() >= until) break;
    }
    this.spinSink = sink;
  }
}
