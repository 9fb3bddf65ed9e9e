/**
 * The self-fencing clock of one lease, kept by this process and independent of the etcd3 client's
 * `lost` event (which fires only after ~2×TTL).
 *
 * etcd restarts a lease's TTL when it processes a keepalive, which is after the client sent it, so
 * the lease cannot expire on the server before `sentAt + ttl` of the last ACKNOWLEDGED keepalive.
 * Keepalives are answered in order on one stream, so the acknowledgement of a response belongs to
 * the oldest keepalive still awaiting one; using its send time (not the receive time) is the
 * conservative anchor. The fence fires at `anchor + ttl - safetyMargin`, i.e. at least
 * `safetyMargin` before the server may expire the lease and let another node take its keys
 * (minus event-loop lateness of the timer, which the margin must cover).
 */
export interface LeaseFenceOptions {
  readonly ttlMs: number;
  readonly safetyMarginMs: number;
  readonly onFence: (info: FenceInfo) => void;
  readonly now?: () => number;
}

export interface FenceInfo {
  /** Send time of the last acknowledged keepalive (or of the grant request). */
  readonly lastKeepaliveAt: number;
  /** Earliest moment the server may expire the lease: lastKeepaliveAt + ttl. */
  readonly leaseExpiresNoEarlierThan: number;
  /** When the fence fired. */
  readonly at: number;
}

/** Keepalives remembered while waiting for their answers; more than this means the stream is stuck. */
const MAX_OUTSTANDING = 64;

export class LeaseFence {
  private anchorAt: number | undefined;
  private outstanding: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private done = false;
  private readonly now: () => number;

  constructor(private readonly options: LeaseFenceOptions) {
    if (options.safetyMarginMs <= 0 || options.safetyMarginMs >= options.ttlMs) {
      throw new RangeError(`safetyMarginMs must be in (0, ttlMs); got ${String(options.safetyMarginMs)}`);
    }
    this.now = options.now ?? Date.now;
  }

  /** Starts the clock from `requestedAt`, the moment the lease grant request was sent. */
  arm(requestedAt: number): void {
    this.anchorAt = requestedAt;
    this.schedule();
  }

  /** A keepalive request is being sent now. */
  sent(): void {
    if (this.done) return;
    this.outstanding.push(this.now());
    if (this.outstanding.length > MAX_OUTSTANDING) this.outstanding.shift();
  }

  /**
   * A keepalive response arrived. Returns the gap (ms) since the previous anchor, or undefined
   * when it could not be matched to a request (then the anchor is not moved: conservative).
   */
  acknowledged(): number | undefined {
    if (this.done) return undefined;
    const sentAt = this.outstanding.shift();
    if (sentAt === undefined || this.anchorAt === undefined) return undefined;
    const gap = sentAt - this.anchorAt;
    if (sentAt > this.anchorAt) {
      this.anchorAt = sentAt;
      this.schedule();
    }
    return gap;
  }

  /** The keepalive stream was re-opened or failed: answers to earlier requests will never come. */
  streamReset(): void {
    this.outstanding = [];
  }

  get lastKeepaliveAt(): number | undefined {
    return this.anchorAt;
  }

  /** When the fence fires, or undefined before `arm`. */
  get deadlineAt(): number | undefined {
    return this.anchorAt === undefined
      ? undefined
      : this.anchorAt + this.options.ttlMs - this.options.safetyMarginMs;
  }

  /** True once the deadline has passed (checked synchronously, so a late timer cannot let a caller act). */
  expired(now = this.now()): boolean {
    const deadline = this.deadlineAt;
    return this.done || deadline === undefined || now >= deadline;
  }

  /** Fires the fence now (e.g. etcd said the lease is gone) unless it has fired or been stopped. */
  fireNow(): void {
    if (this.done || this.anchorAt === undefined) return;
    this.fire();
  }

  /** Stops the clock without firing. */
  stop(): void {
    this.done = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.done) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    const deadline = this.deadlineAt;
    if (deadline === undefined) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        if (!this.done && this.now() >= deadline) this.fire();
        else this.schedule();
      },
      Math.max(0, deadline - this.now()),
    );
    this.timer.unref();
  }

  private fire(): void {
    const anchor = this.anchorAt;
    if (anchor === undefined) return;
    this.stop();
    this.options.onFence({
      lastKeepaliveAt: anchor,
      leaseExpiresNoEarlierThan: anchor + this.options.ttlMs,
      at: this.now(),
    });
  }
}
