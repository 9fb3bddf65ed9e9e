import { AuthServiceService } from './internal.ts';
import { apiKeyOut, scopeCodec, tokensOut, userOut } from './convert-messages.ts';
import type { GatewayConnection } from './gateway-connection.ts';
import { Idempotency } from './retry-policy.ts';
import type { ApiKey, ApiKeyScope, CreatedApiKey, Tokens, User } from './types.ts';

const PUBLIC_ONCE = { authenticated: false, idempotency: Idempotency.BEFORE_SEND_ONLY } as const;

/** AuthService: users, sessions and API keys. NinjaClient.login wraps login() into a refreshing session. */
export class AuthApi {
  constructor(private readonly connection: GatewayConnection) {}

  /** Creates a user with the trader role; ALREADY_EXISTS when the e-mail is taken. */
  async register(email: string, password: string): Promise<User> {
    const response = await this.connection.unary(
      AuthServiceService.register,
      { email, password },
      PUBLIC_ONCE,
    );
    return userOut(response.user);
  }

  /** Exchanges e-mail and password for a token pair (no session is kept; see NinjaClient.login). */
  async login(email: string, password: string): Promise<{ user: User; tokens: Tokens }> {
    const response = await this.connection.unary(AuthServiceService.login, { email, password }, PUBLIC_ONCE);
    return { user: userOut(response.user), tokens: tokensOut(response.tokens) };
  }

  /** Rotates a refresh token; the one passed in stops working. */
  async refresh(refreshToken: string): Promise<Tokens> {
    const response = await this.connection.unary(AuthServiceService.refresh, { refreshToken }, PUBLIC_ONCE);
    return tokensOut(response.tokens);
  }

  /** Revokes the login of this refresh token (or every login of its user). Idempotent. */
  async logout(refreshToken: string, allSessions = false): Promise<void> {
    await this.connection.unary(
      AuthServiceService.logout,
      { refreshToken, allSessions },
      { authenticated: false, idempotency: Idempotency.IDEMPOTENT },
    );
  }

  /** Creates an API key for the caller (`label`: your name for it); the credential is in the answer only. */
  async createApiKey(
    scopes: readonly ApiKeyScope[],
    allowedIps: readonly string[] = [],
    label?: string,
  ): Promise<CreatedApiKey> {
    const response = await this.connection.unary(
      AuthServiceService.createApiKey,
      {
        scopes: scopes.map((scope, i) => scopeCodec.toProto(scope, `scopes[${String(i)}]`)),
        allowedIps: [...allowedIps],
        ...(label === undefined ? {} : { label }),
      },
      { authenticated: true, idempotency: Idempotency.BEFORE_SEND_ONLY },
    );
    return { apiKey: apiKeyOut(response.apiKey), credential: response.credential };
  }

  async listApiKeys(includeRevoked = false): Promise<ApiKey[]> {
    const response = await this.connection.unary(
      AuthServiceService.listApiKeys,
      { includeRevoked },
      { authenticated: true, idempotency: Idempotency.IDEMPOTENT },
    );
    return response.apiKeys.map((key) => apiKeyOut(key));
  }

  async revokeApiKey(keyId: string): Promise<ApiKey> {
    const response = await this.connection.unary(
      AuthServiceService.revokeApiKey,
      { keyId },
      { authenticated: true, idempotency: Idempotency.IDEMPOTENT },
    );
    return apiKeyOut(response.apiKey);
  }
}
