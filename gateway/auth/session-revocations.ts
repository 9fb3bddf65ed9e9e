import { UnavailableError } from '../../domain/errors.ts';

/** Where revoked logins are read from (refresh_tokens: a revoked family is a revoked login). */
export interface RevokedSessionSource {
  /** Ids of the logins (refresh-token families) revoked within the last `withinSeconds`. */
  revokedWithin(withinSeconds: number): Promise<string[]>;
}

export interface SessionRevocationsOptions {
  /**
   * How old this node's copy may be before a call waits for a fresh one; default 1,000 ms. It is
   * the worst-case time a login revoked on another node is still accepted here.
   */
  readonly refreshIntervalMs?: number;
  /** Access-token lifetime plus clock tolerance: a login revoked longer ago has no live token. */
  readonly windowSeconds: number;
  readonly now?: () => number;
}

/**
 * Which logins (session ids, the `sid` of an access token) are revoked, as this node knows it.
 * Every node reads the revocations of the last access-token lifetime from the database at most once
 * per refresh interval, on demand (one query shared by all calls waiting for it; none while idle),
 * so a call is answered from memory unless the copy is older than the interval. A revocation made
 * on this node applies here at once; one made on another node within the refresh interval.
 */
export class SessionRevocations {
  private revoked = new Set<string>();
  /** Revoked on this node, kept (for the window) across reloads that may predate them. */
  private readonly local = new Map<string, number>();
  private loadedAtMs = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | undefined;
  private readonly intervalMs: number;
  private readonly now: () => number;

  constructor(
    private readonly source: RevokedSessionSource,
    private readonly options: SessionRevocationsOptions,
  ) {
    this.intervalMs = options.refreshIntervalMs ?? 1_000;
    this.now = options.now ?? Date.now;
  }

  /** From memory when the copy is fresh (the common case, no allocation); otherwise after a reload. */
  isRevoked(sessionId: string): boolean | Promise<boolean> {
    if (this.now() - this.loadedAtMs < this.intervalMs) return this.revoked.has(sessionId);
    return this.reload().then(() => this.revoked.has(sessionId));
  }

  /** Logins this node has just revoked (committed): refused here from now on. */
  noteRevoked(sessionIds: readonly string[]): void {
    const nowMs = this.now();
    for (const id of sessionIds) {
      this.local.set(id, nowMs);
      this.revoked.add(id);
    }
  }

  private reload(): Promise<void> {
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async load(): Promise<void> {
    const startedAtMs = this.now();
    let ids: string[];
    try {
      ids = await this.source.revokedWithin(this.options.windowSeconds);
    } catch (error) {
      throw new UnavailableError('revoked sessions could not be read; try again', { cause: error });
    }
    const next = new Set(ids);
    for (const [id, notedAtMs] of this.local) {
      if (startedAtMs - notedAtMs > this.options.windowSeconds * 1000) this.local.delete(id);
      else next.add(id);
    }
    this.revoked = next;
    // Measured from the query's start: the copy holds every revocation committed before it.
    this.loadedAtMs = startedAtMs;
  }
}
