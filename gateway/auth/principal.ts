import type { Role, Scope } from './roles-and-scopes.ts';

/** How a caller proved who they are. */
export type Credential =
  | { readonly type: 'session'; readonly sessionId: string }
  | { readonly type: 'api_key'; readonly keyId: string };

/** An authenticated caller. */
export interface Principal {
  readonly userId: string;
  readonly roles: readonly Role[];
  /** What this credential may do: the intersection of the user's roles and the key's scopes. */
  readonly scopes: ReadonlySet<Scope>;
  readonly credential: Credential;
}

/** The audit log's `actor` column: 'user' for a session, 'api_key:<key_id>' for a key. */
export function auditActorOf(principal: Principal): string {
  return principal.credential.type === 'session' ? 'user' : `api_key:${principal.credential.keyId}`;
}
