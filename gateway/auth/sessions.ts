import { UnauthenticatedError } from '../../domain/errors.ts';
import { AccessTokens } from './access-tokens.ts';
import type { PasswordHasher } from './password-hasher.ts';
import type { RefreshTokens } from './refresh-tokens.ts';
import { Role } from './roles-and-scopes.ts';
import { SessionRevocations } from './session-revocations.ts';
import type { UserRecord, UserStore } from './user-store.ts';

export interface IssuedTokens {
  readonly accessToken: string;
  readonly accessTokenExpiresAtMs: number;
  readonly refreshToken: string;
  readonly refreshTokenExpiresAtMs: number;
}

/** What happened, for the audit log; never carries a secret. */
export type SessionEvent =
  | { readonly action: 'auth.register'; readonly userId: string }
  | { readonly action: 'auth.login'; readonly userId: string; readonly sessionId: string }
  | { readonly action: 'auth.login_failed'; readonly userId: string | undefined; readonly email: string }
  | { readonly action: 'auth.refresh'; readonly userId: string; readonly sessionId: string }
  | { readonly action: 'auth.refresh_reuse'; readonly userId: string; readonly sessionId: string }
  | { readonly action: 'auth.refresh_refused'; readonly userId: string | undefined; readonly reason: string }
  | {
      readonly action: 'auth.logout';
      readonly userId: string;
      readonly sessionId: string;
      readonly allSessions: boolean;
    };

/** The call an event happened in. */
export interface EventMeta {
  readonly correlationId: string;
  readonly sourceAddress: string | undefined;
}

/** The same answer for an unknown user and a wrong password: a caller cannot probe for accounts. */
const BAD_LOGIN = 'email or password is wrong';

/** Users and their logins: register, login, refresh (rotation with reuse detection), logout. */
export class Sessions {
  /** Ended logins, whose access tokens the AccessTokens refuse (on every node). */
  readonly revocations: SessionRevocations;

  constructor(
    private readonly deps: {
      readonly users: UserStore;
      readonly hasher: PasswordHasher;
      readonly accessTokens: AccessTokens;
      readonly refreshTokens: RefreshTokens;
      readonly onEvent: (event: SessionEvent, meta: EventMeta) => Promise<void>;
      /** How stale a node's copy of the revoked logins may get; default SessionRevocations'. */
      readonly revocationIntervalMs?: number;
      readonly now?: () => number;
    },
  ) {
    this.revocations = new SessionRevocations(deps.refreshTokens, {
      ...(deps.revocationIntervalMs === undefined ? {} : { refreshIntervalMs: deps.revocationIntervalMs }),
      ...(deps.now === undefined ? {} : { now: deps.now }),
      // A login revoked earlier than this has no unexpired access token left; one minute of slack
      // covers clock differences between the nodes and the database.
      windowSeconds: deps.accessTokens.lifetimeSeconds + AccessTokens.CLOCK_TOLERANCE_SECONDS + 60,
    });
    deps.accessTokens.refuseRevokedSessions(this.revocations);
  }

  async register(
    email: string,
    password: string,
    meta: EventMeta,
    roles: readonly Role[] = [Role.TRADER],
  ): Promise<UserRecord> {
    const hash = await this.deps.hasher.hash(password);
    const user = await this.deps.users.create(email.toLowerCase(), hash, roles);
    await this.deps.onEvent({ action: 'auth.register', userId: user.id }, meta);
    return user;
  }

  /** Costs one argon2 verification whether or not the user exists. */
  async login(
    email: string,
    password: string,
    meta: EventMeta,
  ): Promise<{ user: UserRecord; tokens: IssuedTokens }> {
    const normalised = email.toLowerCase();
    const user = await this.deps.users.findByEmail(normalised);
    const matches = await this.deps.hasher.verify(user?.passwordHash, password);
    if (user === undefined || !matches || user.disabled) {
      await this.deps.onEvent({ action: 'auth.login_failed', userId: user?.id, email: normalised }, meta);
      throw new UnauthenticatedError(BAD_LOGIN);
    }
    const refresh = await this.deps.refreshTokens.issue(user.id);
    const tokens = await this.tokensOf(user, refresh);
    await this.deps.onEvent({ action: 'auth.login', userId: user.id, sessionId: refresh.familyId }, meta);
    return { user, tokens };
  }

  async refresh(refreshToken: string, meta: EventMeta): Promise<IssuedTokens> {
    const outcome = await this.deps.refreshTokens.rotate(refreshToken);
    switch (outcome.type) {
      case 'reused':
        this.revocations.noteRevoked([outcome.familyId]);
        await this.deps.onEvent(
          { action: 'auth.refresh_reuse', userId: outcome.userId, sessionId: outcome.familyId },
          meta,
        );
        throw new UnauthenticatedError(
          'refresh token was already used: every token of this login is revoked',
        );
      case 'refused':
        await this.deps.onEvent(
          { action: 'auth.refresh_refused', userId: outcome.userId, reason: outcome.reason },
          meta,
        );
        throw new UnauthenticatedError(outcome.reason);
      case 'rotated': {
        const user = await this.deps.users.findById(outcome.userId);
        if (user === undefined) throw new UnauthenticatedError('user no longer exists');
        const tokens = await this.tokensOf(user, outcome.next);
        await this.deps.onEvent(
          { action: 'auth.refresh', userId: user.id, sessionId: outcome.next.familyId },
          meta,
        );
        return tokens;
      }
    }
  }

  async logout(refreshToken: string, allSessions: boolean, meta: EventMeta): Promise<void> {
    const { userId, familyId, revokedFamilies } = await this.deps.refreshTokens.revoke(
      refreshToken,
      allSessions,
    );
    this.revocations.noteRevoked(revokedFamilies);
    await this.deps.onEvent({ action: 'auth.logout', userId, sessionId: familyId, allSessions }, meta);
  }

  private async tokensOf(
    user: UserRecord,
    refresh: { readonly token: string; readonly familyId: string; readonly expiresAtMs: number },
  ): Promise<IssuedTokens> {
    const access = await this.deps.accessTokens.issue(user.id, user.roles, refresh.familyId);
    return {
      accessToken: access.token,
      accessTokenExpiresAtMs: access.expiresAtMs,
      refreshToken: refresh.token,
      refreshTokenExpiresAtMs: refresh.expiresAtMs,
    };
  }
}
