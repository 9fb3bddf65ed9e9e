/** What a user is (users.roles). */
export const Role = { VIEWER: 'viewer', TRADER: 'trader', ADMIN: 'admin' } as const;
export type Role = (typeof Role)[keyof typeof Role];

/** What a call needs (api_keys.permissions; a session has every scope its roles allow). */
export const Scope = { READ: 'read', TRADE: 'trade', ADMIN: 'admin' } as const;
export type Scope = (typeof Scope)[keyof typeof Scope];

const ROLES: ReadonlySet<string> = new Set(Object.values(Role));
const SCOPES: ReadonlySet<string> = new Set(Object.values(Scope));

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && ROLES.has(value);
}

export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && SCOPES.has(value);
}

const ROLE_SCOPES: Readonly<Record<Role, readonly Scope[]>> = {
  viewer: [Scope.READ],
  trader: [Scope.READ, Scope.TRADE],
  admin: [Scope.READ, Scope.TRADE, Scope.ADMIN],
};

/** The scopes a user's roles allow; an API key never has more than its user. */
export function scopesOfRoles(roles: readonly Role[]): ReadonlySet<Scope> {
  const scopes = new Set<Scope>();
  for (const role of roles) for (const scope of ROLE_SCOPES[role]) scopes.add(scope);
  return scopes;
}
