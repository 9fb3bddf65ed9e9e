import { UnauthenticatedError } from '../../domain/errors.ts';
import type { AccessTokens } from './access-tokens.ts';
import type { ApiKeys } from './api-keys.ts';
import type { Principal } from './principal.ts';
import { scopesOfRoles } from './roles-and-scopes.ts';

/** Credentials as a call carries them (gRPC metadata or WebSocket headers / authenticate message). */
export interface CallCredentials {
  /** `Bearer <access token>`. */
  readonly authorization?: string | undefined;
  /** `<key id>.<secret>`. */
  readonly apiKey?: string | undefined;
}

const MAX_CREDENTIAL_LENGTH = 4096;

/** Turns a call's credentials into a Principal; UnauthenticatedError when they are missing or bad. */
export class Authenticator {
  constructor(
    private readonly tokens: AccessTokens,
    private readonly apiKeys: ApiKeys,
  ) {}

  hasCredentials(credentials: CallCredentials): boolean {
    return credentials.authorization !== undefined || credentials.apiKey !== undefined;
  }

  async authenticate(credentials: CallCredentials, sourceAddress: string | undefined): Promise<Principal> {
    const { authorization, apiKey } = credentials;
    if (authorization !== undefined && apiKey !== undefined) {
      throw new UnauthenticatedError('send either authorization or x-api-key, not both');
    }
    if (authorization !== undefined) {
      const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(authorization);
      if (match?.[1] === undefined || authorization.length > MAX_CREDENTIAL_LENGTH) {
        throw new UnauthenticatedError('authorization must be "Bearer <access token>"');
      }
      const claims = await this.tokens.verify(match[1]);
      return {
        userId: claims.userId,
        roles: claims.roles,
        scopes: scopesOfRoles(claims.roles),
        credential: { type: 'session', sessionId: claims.sessionId },
      };
    }
    if (apiKey !== undefined) {
      if (apiKey.length > MAX_CREDENTIAL_LENGTH) throw new UnauthenticatedError('malformed API key');
      const { record, roles } = await this.apiKeys.authenticate(apiKey, sourceAddress);
      const allowed = scopesOfRoles(roles);
      return {
        userId: record.userId,
        roles,
        scopes: new Set(record.scopes.filter((scope) => allowed.has(scope))),
        credential: { type: 'api_key', keyId: record.keyId },
      };
    }
    throw new UnauthenticatedError(
      'credentials required: authorization: Bearer <token> or x-api-key: <key id>.<secret>',
    );
  }
}
