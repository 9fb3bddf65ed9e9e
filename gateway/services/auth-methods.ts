import { z } from 'zod';
import { PermissionDeniedError } from '../../domain/errors.ts';
import {
  CreateApiKeyRequest,
  CreateApiKeyResponse,
  ListApiKeysRequest,
  ListApiKeysResponse,
  LoginRequest,
  LoginResponse,
  LogoutRequest,
  LogoutResponse,
  RefreshRequest,
  RefreshResponse,
  RegisterRequest,
  RegisterResponse,
  RevokeApiKeyRequest,
  RevokeApiKeyResponse,
} from '../../proto/gen/ninja/v1/auth.ts';
import type { TokenPair, ApiKeyScope } from '../../proto/gen/ninja/v1/auth.ts';
import { auditActorOf } from '../auth/principal.ts';
import type { Principal } from '../auth/principal.ts';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../auth/password-hasher.ts';
import type { IssuedTokens } from '../auth/sessions.ts';
import { parseAddressRange } from '../auth/source-address.ts';
import { Scope } from '../auth/roles-and-scopes.ts';
import { LOGIN_PER_ACCOUNT, RateLimits } from '../api/rate-limits.ts';
import { accountKey } from '../api/principal-limiter.ts';
import { anyMethod, principalOf } from '../api/method-definition.ts';
import type { CallContext, GatewayMethod } from '../api/method-definition.ts';
import { enumName } from '../validation/field-schemas.ts';
import { apiKeyMessage, scopeOf, timestampOf, userMessage } from './proto-mapping.ts';
import type { GatewayServices } from './gateway-services.ts';

const SERVICE = 'ninja.v1.AuthService';

const email = z
  .string()
  .min(3, 'must be at least 3 characters')
  .max(320, 'must be at most 320 characters')
  .regex(/^[^\s@]+@[^\s@]+$/, 'must be an e-mail address');
const password = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`);
/** Login accepts any password length up to the maximum: a policy change must not lock users out. */
const loginPassword = z.string().min(1, 'is required').max(MAX_PASSWORD_LENGTH);
const refreshToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'is not a refresh token');
const scopeNames = enumName(['API_KEY_SCOPE_READ', 'API_KEY_SCOPE_TRADE', 'API_KEY_SCOPE_ADMIN']);

function tokenPair(tokens: IssuedTokens): TokenPair {
  return {
    accessToken: tokens.accessToken,
    accessTokenExpireTime: timestampOf(tokens.accessTokenExpiresAtMs),
    refreshToken: tokens.refreshToken,
    refreshTokenExpireTime: timestampOf(tokens.refreshTokenExpiresAtMs),
  };
}

/** Key management needs a user session, or an API key that has the admin scope. */
function requireKeyManager(principal: Principal): void {
  if (principal.credential.type === 'api_key' && !principal.scopes.has(Scope.ADMIN)) {
    throw new PermissionDeniedError('managing API keys with an API key needs its admin scope');
  }
}

export function authMethods(services: GatewayServices): GatewayMethod[] {
  const audit = (
    ctx: CallContext,
    action: string,
    target: string | undefined,
    details: Record<string, unknown> = {},
  ) => {
    const principal = principalOf(ctx);
    return services.auditor.record({
      userId: principal.userId,
      actor: auditActorOf(principal),
      action,
      ...(target === undefined ? {} : { target }),
      details: { ...details, source: ctx.sourceAddress ?? null },
      correlationId: ctx.correlationId,
    });
  };
  return [
    anyMethod({
      kind: 'unary',
      service: SERVICE,
      name: 'Register',
      access: { type: 'public' },
      limit: RateLimits.register,
      request: RegisterRequest,
      response: RegisterResponse,
      schema: z.strictObject({ email, password }),
      handle: async (ctx, request: RegisterRequest) => ({
        user: userMessage(await services.sessions.register(request.email, request.password, ctx)),
      }),
    }),
    anyMethod({
      kind: 'unary',
      service: SERVICE,
      name: 'Login',
      access: { type: 'public' },
      limit: RateLimits.loginPerAddress,
      request: LoginRequest,
      response: LoginResponse,
      schema: z.strictObject({ email, password: loginPassword }),
      handle: async (ctx, request: LoginRequest) => {
        await services.limiter.acquire(
          accountKey(request.email),
          'login',
          LOGIN_PER_ACCOUNT,
          ctx.correlationId,
        );
        const { user, tokens } = await services.sessions.login(request.email, request.password, ctx);
        return { user: userMessage(user), tokens: tokenPair(tokens) };
      },
    }),
    anyMethod({
      kind: 'unary',
      service: SERVICE,
      name: 'Refresh',
      access: { type: 'public' },
      limit: RateLimits.session,
      request: RefreshRequest,
      response: RefreshResponse,
      schema: z.strictObject({ refreshToken }),
      handle: async (ctx, request: RefreshRequest) => ({
        tokens: tokenPair(await services.sessions.refresh(request.refreshToken, ctx)),
      }),
    }),
    anyMethod({
      kind: 'unary',
      service: SERVICE,
      name: 'Logout',
      access: { type: 'public' },
      limit: RateLimits.session,
      request: LogoutRequest,
      response: LogoutResponse,
      schema: z.strictObject({ refreshToken, allSessions: z.boolean().optional() }),
      handle: async (ctx, request: LogoutRequest) => {
        await services.sessions.logout(request.refreshToken, request.allSessions, ctx);
        return {};
      },
    }),
    anyMethod({
      kind: 'unary',
      service: SERVICE,
      name: 'CreateApiKey',
      access: { type: 'scope', scope: Scope.READ },
      limit: RateLimits.keys,
      request: CreateApiKeyRequest,
      response: CreateApiKeyResponse,
      schema: z.strictObject({
        scopes: z
          .array(scopeNames)
          .min(1, 'must name at least one scope')
          .max(3)
          .refine((list) => new Set(list).size === list.length, 'must not repeat a scope'),
        allowedIps: z.array(z.string().max(64)).max(32, 'at most 32 entries').optional(),
        label: z.string().max(64, 'must be at most 64 characters').optional(),
      }),
      handle: async (ctx, request: CreateApiKeyRequest) => {
        const principal = principalOf(ctx);
        requireKeyManager(principal);
        const scopes = request.scopes.map((scope: ApiKeyScope) => scopeOf(scope));
        for (const scope of scopes) {
          if (!principal.scopes.has(scope)) {
            throw new PermissionDeniedError(`you cannot grant the ${scope} scope: you do not have it`);
          }
        }
        const allowedIps = request.allowedIps.map((ip, index) =>
          parseAddressRange(ip, `allowed_ips.${index}`),
        );
        const label = request.label ?? '';
        const { record, credential } = await services.apiKeys.create(
          principal.userId,
          scopes,
          allowedIps,
          label,
        );
        await audit(ctx, 'auth.api_key_created', `api_key:${record.keyId}`, { scopes, allowedIps, label });
        return { apiKey: apiKeyMessage(record), credential };
      },
    }),
    anyMethod({
      kind: 'unary',
      service: SERVICE,
      name: 'ListApiKeys',
      access: { type: 'scope', scope: Scope.READ },
      limit: RateLimits.read,
      request: ListApiKeysRequest,
      response: ListApiKeysResponse,
      schema: z.strictObject({ includeRevoked: z.boolean().optional() }),
      handle: async (ctx, request: ListApiKeysRequest) => {
        const principal = principalOf(ctx);
        requireKeyManager(principal);
        const keys = await services.apiKeys.list(principal.userId, request.includeRevoked);
        return { apiKeys: keys.map(apiKeyMessage) };
      },
    }),
    anyMethod({
      kind: 'unary',
      service: SERVICE,
      name: 'RevokeApiKey',
      access: { type: 'scope', scope: Scope.READ },
      limit: RateLimits.keys,
      request: RevokeApiKeyRequest,
      response: RevokeApiKeyResponse,
      schema: z.strictObject({ keyId: z.string().regex(/^ngk_[0-9a-f]{16}$/, 'is not an API key id') }),
      handle: async (ctx, request: RevokeApiKeyRequest) => {
        const principal = principalOf(ctx);
        requireKeyManager(principal);
        const record = await services.apiKeys.revoke(principal.userId, request.keyId);
        await audit(ctx, 'auth.api_key_revoked', `api_key:${record.keyId}`);
        return { apiKey: apiKeyMessage(record) };
      },
    }),
  ];
}
