import { InternalError } from '../../domain/errors.ts';
import type { Timestamp } from '../../proto/gen/google/protobuf/timestamp.ts';
import { ApiKeyScope, Role as ProtoRole } from '../../proto/gen/ninja/v1/auth.ts';
import type { ApiKey, User } from '../../proto/gen/ninja/v1/auth.ts';
import type { ApiKeyRecord } from '../auth/api-keys.ts';
import type { Role } from '../auth/roles-and-scopes.ts';
import { Scope } from '../auth/roles-and-scopes.ts';
import type { UserRecord } from '../auth/user-store.ts';

export function timestampOf(ms: number): Timestamp {
  const seconds = Math.floor(ms / 1000);
  return { seconds: BigInt(seconds), nanos: (ms - seconds * 1000) * 1_000_000 };
}

export function optionalTimestamp(date: Date | undefined): Timestamp | undefined {
  return date === undefined ? undefined : timestampOf(date.getTime());
}

const PROTO_ROLES: Readonly<Record<Role, ProtoRole>> = {
  viewer: ProtoRole.ROLE_VIEWER,
  trader: ProtoRole.ROLE_TRADER,
  admin: ProtoRole.ROLE_ADMIN,
};

const PROTO_SCOPES: Readonly<Record<Scope, ApiKeyScope>> = {
  read: ApiKeyScope.API_KEY_SCOPE_READ,
  trade: ApiKeyScope.API_KEY_SCOPE_TRADE,
  admin: ApiKeyScope.API_KEY_SCOPE_ADMIN,
};

/** The scope of a validated proto enum value. */
export function scopeOf(value: ApiKeyScope): Scope {
  switch (value) {
    case ApiKeyScope.API_KEY_SCOPE_READ:
      return Scope.READ;
    case ApiKeyScope.API_KEY_SCOPE_TRADE:
      return Scope.TRADE;
    case ApiKeyScope.API_KEY_SCOPE_ADMIN:
      return Scope.ADMIN;
    default:
      throw new InternalError(`scope ${String(value)} passed validation`);
  }
}

export function userMessage(user: UserRecord): User {
  return {
    userId: user.id,
    email: user.email,
    roles: user.roles.map((role) => PROTO_ROLES[role]),
    createTime: timestampOf(user.createdAt.getTime()),
  };
}

export function apiKeyMessage(key: ApiKeyRecord): ApiKey {
  return {
    keyId: key.keyId,
    scopes: key.scopes.map((scope) => PROTO_SCOPES[scope]),
    allowedIps: [...key.allowedIps],
    createTime: timestampOf(key.createdAt.getTime()),
    lastUseTime: optionalTimestamp(key.lastUsedAt),
    revokeTime: optionalTimestamp(key.revokedAt),
  };
}
