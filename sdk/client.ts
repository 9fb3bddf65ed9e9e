import { Writable } from 'node:stream';
import { createLogger, isNinjaError } from './internal.ts';
import type { Logger } from './internal.ts';
import { AccountApi } from './account-api.ts';
import { AuthApi } from './auth-api.ts';
import { ClusterApi } from './cluster-api.ts';
import { DEFAULT_GATEWAY_ADDRESS } from './client-options.ts';
import type { NinjaClientOptions } from './client-options.ts';
import { GatewayConnection } from './gateway-connection.ts';
import type { CallAuth } from './gateway-connection.ts';
import { MarketDataApi } from './market-data-api.ts';
import { DEFAULT_RETRY } from './retry-policy.ts';
import { sdkMetrics } from './sdk-metrics.ts';
import type { SdkMetrics } from './sdk-metrics.ts';
import { TokenSession } from './token-session.ts';
import type { RefreshReason } from './token-session.ts';
import { TradingApi } from './trading-api.ts';
import type { Tokens, User } from './types.ts';

/**
 * A typed client of a Ninja Gekko gateway: `auth`, `trading`, `marketData` and `accounts` over one
 * gRPC channel. Authenticate with an API key (option `apiKey`), a stored session (`tokens`) or
 * `login()`. Call `close()` when done.
 */
export class NinjaClient {
  readonly auth: AuthApi;
  readonly trading: TradingApi;
  readonly marketData: MarketDataApi;
  readonly accounts: AccountApi;
  /** Cluster status and drain (admin scope). */
  readonly cluster: ClusterApi;
  private readonly connection: GatewayConnection;
  private readonly metrics: SdkMetrics;

  constructor(private readonly options: NinjaClientOptions = {}) {
    this.metrics = sdkMetrics(options.metrics);
    this.connection = new GatewayConnection({
      address: options.address ?? DEFAULT_GATEWAY_ADDRESS,
      tls: options.tls,
      callTimeoutMs: options.callTimeoutMs ?? 10_000,
      retry: { ...DEFAULT_RETRY, ...options.retry },
      streamResume: options.streamResume ?? {},
      metrics: this.metrics,
      logger: options.logger ?? silentLogger(),
    });
    this.auth = new AuthApi(this.connection);
    this.trading = new TradingApi(this.connection, options.assignClientOrderIds ?? true);
    this.marketData = new MarketDataApi(this.connection);
    this.accounts = new AccountApi(this.connection);
    this.cluster = new ClusterApi(this.connection);
    if (options.apiKey !== undefined) this.useApiKey(options.apiKey);
    else if (options.tokens !== undefined) this.useTokens(options.tokens);
  }

  /** host:port of the gateway. */
  get address(): string {
    return this.connection.address;
  }

  /** The current token pair of a user session (undefined with an API key or no credentials). */
  get tokens(): Tokens | undefined {
    const auth = this.connection.callAuth;
    return auth.type === 'session' ? auth.session.tokens : undefined;
  }

  /** Logs in and keeps the session: later calls carry the access token and refresh it as needed. */
  async login(email: string, password: string): Promise<User> {
    const { user, tokens } = await this.auth.login(email, password);
    this.useTokens(tokens);
    this.options.onTokens?.(tokens);
    return user;
  }

  /** Ends the session at the gateway (its refresh token is revoked) and forgets it here. */
  async logout(allSessions = false): Promise<void> {
    const tokens = this.tokens;
    if (tokens === undefined) return;
    await this.auth.logout(tokens.refreshToken, allSessions);
    this.connection.authorise({ type: 'none' });
  }

  /** Authorises later calls with an API key credential "<key id>.<secret>". */
  useApiKey(credential: string): void {
    this.connection.authorise({ type: 'api-key', credential });
  }

  /** Authorises later calls with a token pair (e.g. a stored login), refreshing it as needed. */
  useTokens(tokens: Tokens): void {
    const session = new TokenSession({
      tokens,
      refresh: (refreshToken, reason) => this.refresh(refreshToken, reason),
      ...(this.options.now === undefined ? {} : { now: this.options.now }),
      ...(this.options.refreshMarginMs === undefined
        ? {}
        : { refreshMarginMs: this.options.refreshMarginMs }),
      ...(this.options.onTokens === undefined ? {} : { onTokens: this.options.onTokens }),
    });
    const auth: CallAuth = { type: 'session', session };
    this.connection.authorise(auth);
  }

  /** Closes the channel; calls in flight fail with CANCELLED or UNAVAILABLE. */
  close(): void {
    this.connection.close();
  }

  private async refresh(refreshToken: string, reason: RefreshReason): Promise<Tokens> {
    try {
      const tokens = await this.auth.refresh(refreshToken);
      this.metrics.tokenRefreshes.inc({ reason, outcome: 'OK' });
      return tokens;
    } catch (error) {
      this.metrics.tokenRefreshes.inc({ reason, outcome: isNinjaError(error) ? error.code : 'CLIENT_ERROR' });
      throw error;
    }
  }
}

function silentLogger(): Logger {
  return createLogger({
    level: 'silent',
    destination: new Writable({ write: (_chunk, _encoding, callback) => callback() }),
  });
}
