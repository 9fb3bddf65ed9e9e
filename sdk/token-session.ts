import { UnauthenticatedError } from './internal.ts';
import type { Tokens } from './types.ts';

export interface TokenSessionOptions {
  readonly tokens: Tokens;
  /** Exchanges a refresh token for a new pair (AuthService/Refresh). */
  readonly refresh: (refreshToken: string, reason: RefreshReason) => Promise<Tokens>;
  /** Milliseconds since the epoch; tests pass a fake clock. */
  readonly now?: () => number;
  /**
   * Refresh this long before the access token expires. Default: a quarter of the token's lifetime,
   * at most 60 s, so that a call never leaves with a token about to expire in flight.
   */
  readonly refreshMarginMs?: number;
  /** Called with every new pair (e.g. to store it: the old refresh token no longer works). */
  readonly onTokens?: (tokens: Tokens) => void;
}

/** Why the session refreshes: the token is about to expire, or the gateway refused it. */
export type RefreshReason = 'expiring' | 'rejected';

const MAX_MARGIN_MS = 60_000;

/**
 * A user session: hands out a valid access token, refreshing it shortly before it expires, and once
 * more when the gateway rejects it. Concurrent callers share one Refresh call (a refresh token works
 * once: two refreshes in parallel would look like token theft to the gateway).
 */
export class TokenSession {
  private current: Tokens;
  private receivedAt: number;
  private refreshing: Promise<Tokens> | undefined;
  private readonly now: () => number;

  constructor(private readonly options: TokenSessionOptions) {
    this.now = options.now ?? Date.now;
    this.current = options.tokens;
    this.receivedAt = this.now();
  }

  get tokens(): Tokens {
    return this.current;
  }

  /** When (ms since the epoch) the session will refresh the access token before using it again. */
  refreshDueAt(): number {
    const expiresAt = this.current.accessTokenExpireTime.getTime();
    const lifetime = Math.max(0, expiresAt - Math.min(this.receivedAt, expiresAt));
    const margin = this.options.refreshMarginMs ?? Math.min(MAX_MARGIN_MS, Math.floor(lifetime / 4));
    return expiresAt - margin;
  }

  /** An access token valid for at least the refresh margin; refreshes first when it is due. */
  async accessToken(): Promise<string> {
    if (this.now() < this.refreshDueAt()) return this.current.accessToken;
    return (await this.refreshOnce('expiring')).accessToken;
  }

  /**
   * The gateway refused `rejected`: refresh, unless another caller already replaced that token, and
   * return the token to try again with.
   */
  async afterRejected(rejected: string): Promise<string> {
    if (this.current.accessToken !== rejected) return this.current.accessToken;
    return (await this.refreshOnce('rejected')).accessToken;
  }

  private refreshOnce(reason: RefreshReason): Promise<Tokens> {
    this.refreshing ??= this.doRefresh(reason).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async doRefresh(reason: RefreshReason): Promise<Tokens> {
    if (this.now() >= this.current.refreshTokenExpireTime.getTime()) {
      throw new UnauthenticatedError('the session has expired (its refresh token is too old); log in again');
    }
    const next = await this.options.refresh(this.current.refreshToken, reason);
    this.current = next;
    this.receivedAt = this.now();
    this.options.onTokens?.(next);
    return next;
  }
}
