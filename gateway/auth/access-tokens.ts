import { randomUUID } from 'node:crypto';
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import type { JWTHeaderParameters, JWTPayload, KeyObject } from 'jose';
import { InternalError, UnauthenticatedError } from '../../domain/errors.ts';
import { isRole } from './roles-and-scopes.ts';
import type { Role } from './roles-and-scopes.ts';
import { TOKEN_ALGORITHM } from './signing-keys.ts';
import type { SigningKeyring } from './signing-keys.ts';
import type { SessionRevocations } from './session-revocations.ts';
import { VerifiedTokenCache } from './verified-token-cache.ts';

export const TOKEN_ISSUER = 'ninja-gekko';
export const TOKEN_AUDIENCE = 'ninja-gekko-api';

/** What a verified access token says. */
export interface AccessTokenClaims {
  readonly userId: string;
  readonly roles: readonly Role[];
  /** The login (refresh-token family) the token belongs to. */
  readonly sessionId: string;
  readonly expiresAtMs: number;
}

export interface AccessTokenOptions {
  readonly lifetimeSeconds: number;
  /** Verified tokens kept for repeated calls; default 10,000. */
  readonly cacheEntries?: number;
  readonly now?: () => number;
}

/** Issues and verifies the short-lived JWT access tokens (EdDSA, `kid` header, iss/aud/nbf/exp). */
export class AccessTokens {
  private readonly cache: VerifiedTokenCache<AccessTokenClaims>;
  private readonly now: () => number;
  private revocations: SessionRevocations | undefined;

  constructor(
    private readonly keyring: SigningKeyring,
    private readonly options: AccessTokenOptions,
  ) {
    this.cache = new VerifiedTokenCache(options.cacheEntries ?? 10_000);
    this.now = options.now ?? Date.now;
  }

  get lifetimeSeconds(): number {
    return this.options.lifetimeSeconds;
  }

  /** Seconds a token may be used past its expiry (clock tolerance of verification). */
  static readonly CLOCK_TOLERANCE_SECONDS = 5;

  /**
   * Refuse tokens of revoked logins from now on (Sessions attaches its revocations; verify refuses
   * every token until it has).
   */
  refuseRevokedSessions(revocations: SessionRevocations): void {
    this.revocations = revocations;
  }

  async issue(
    userId: string,
    roles: readonly Role[],
    sessionId: string,
  ): Promise<{ token: string; expiresAtMs: number }> {
    const key = this.keyring.current;
    const nowSeconds = Math.floor(this.now() / 1000);
    const expiresAtSeconds = nowSeconds + this.options.lifetimeSeconds;
    const token = await new SignJWT({ roles: [...roles], sid: sessionId })
      .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid: key.kid, typ: 'JWT' })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setSubject(userId)
      .setIssuedAt(nowSeconds)
      .setNotBefore(nowSeconds)
      .setExpirationTime(expiresAtSeconds)
      .setJti(randomUUID())
      .sign(key.privateKey);
    return { token, expiresAtMs: expiresAtSeconds * 1000 };
  }

  /**
   * The claims of a valid token; UnauthenticatedError for anything else (bad signature, alg other
   * than EdDSA incl. none, unknown kid, wrong issuer or audience, expired, not yet valid). A token
   * seen before is answered from the cache until it expires. A token whose login was revoked
   * (logout, refresh-token reuse) is refused, on every node within SessionRevocations' interval.
   */
  async verify(token: string): Promise<AccessTokenClaims> {
    const nowMs = this.now();
    const claims = this.cache.get(token, nowMs) ?? (await this.verifyInFull(token, nowMs));
    if (this.revocations === undefined) {
      throw new InternalError('AccessTokens: no session revocations attached (see Sessions)');
    }
    const revoked = this.revocations.isRevoked(claims.sessionId);
    if (revoked === true || (revoked !== false && (await revoked))) {
      throw new UnauthenticatedError('access token refused: its login was ended (logout or revocation)');
    }
    return claims;
  }

  private async verifyInFull(token: string, nowMs: number): Promise<AccessTokenClaims> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, (header) => this.keyOf(header), {
        algorithms: [TOKEN_ALGORITHM],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        requiredClaims: ['sub', 'exp', 'nbf', 'iat', 'sid'],
        currentDate: new Date(nowMs),
        clockTolerance: AccessTokens.CLOCK_TOLERANCE_SECONDS,
      }));
    } catch (error) {
      throw new UnauthenticatedError(`access token refused: ${reasonOf(error)}`, { cause: error });
    }
    const claims = claimsOf(payload);
    this.cache.set(token, claims, claims.expiresAtMs);
    return claims;
  }

  private keyOf(header: JWTHeaderParameters): KeyObject {
    if (header.alg !== TOKEN_ALGORITHM)
      throw new UnauthenticatedError(`algorithm ${String(header.alg)} is not accepted`);
    const key = header.kid === undefined ? undefined : this.keyring.key(header.kid);
    if (key === undefined) throw new UnauthenticatedError('unknown signing key (kid)');
    return key.publicKey;
  }
}

function claimsOf(payload: JWTPayload): AccessTokenClaims {
  const roles = payload['roles'];
  const sid = payload['sid'];
  if (
    typeof payload.sub !== 'string' ||
    typeof sid !== 'string' ||
    typeof payload.exp !== 'number' ||
    !Array.isArray(roles) ||
    !roles.every(isRole)
  ) {
    throw new UnauthenticatedError('access token refused: malformed claims');
  }
  return { userId: payload.sub, roles, sessionId: sid, expiresAtMs: payload.exp * 1000 };
}

/** A short reason that names the check that failed, never the token. */
function reasonOf(error: unknown): string {
  if (error instanceof UnauthenticatedError) return error.message;
  if (error instanceof joseErrors.JWTExpired) return 'expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `claim ${error.claim} ${error.reason}`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'bad signature';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'algorithm not accepted';
  if (error instanceof joseErrors.JOSEError) return error.code;
  return 'malformed';
}
