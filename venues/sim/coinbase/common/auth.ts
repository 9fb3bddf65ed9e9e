import type { KeyObject } from 'node:crypto';
import { decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import type { JWTPayload } from 'jose';
import { SimErrors } from './errors.ts';

/** A registered CDP key: its name (the JWT `kid` and `sub`), public key and the account it trades for. */
export interface SimApiKey {
  readonly keyName: string;
  readonly publicKey: KeyObject;
  readonly accountId: string;
}

const ISSUERS = ['cdp', 'coinbase-cloud'];
const MAX_LIFETIME_SECONDS = 120;

/**
 * Verifies a CDP JWT as the venue does: known `kid`, algorithm of the key (ES256 or EdDSA), signature,
 * `iss`, `sub` = key name, `nbf`/`exp` against the venue clock with a lifetime of at most 120 s, and,
 * for REST, `uri` = "<METHOD> <host><path>". Anything wrong is the documented 401.
 */
export async function verifyJwt(
  token: string,
  keys: ReadonlyMap<string, SimApiKey>,
  now: number,
  expectedUri: string | undefined,
): Promise<SimApiKey> {
  let kid: unknown;
  let alg: unknown;
  try {
    ({ kid, alg } = decodeProtectedHeader(token));
  } catch {
    // Not a JWS at all: the venue answers every authentication failure the same way.
    throw SimErrors.unauthorized('malformed token');
  }
  const key = typeof kid === 'string' ? keys.get(kid) : undefined;
  if (key === undefined) throw SimErrors.unauthorized('unknown key');
  const expectedAlg = key.publicKey.asymmetricKeyType === 'ed25519' ? 'EdDSA' : 'ES256';
  if (alg !== expectedAlg) throw SimErrors.unauthorized(`algorithm must be ${expectedAlg}`);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key.publicKey, {
      algorithms: [expectedAlg],
      issuer: ISSUERS,
      subject: key.keyName,
      currentDate: new Date(now),
      requiredClaims: ['exp', 'nbf', 'sub', 'iss'],
    }));
  } catch (error) {
    const why =
      error instanceof joseErrors.JWTExpired
        ? 'token expired'
        : error instanceof joseErrors.JWSSignatureVerificationFailed
          ? 'signature verification failed'
          : error instanceof joseErrors.JWTClaimValidationFailed
            ? `claim ${error.claim} invalid`
            : 'invalid token';
    throw SimErrors.unauthorized(why);
  }
  const { exp, nbf } = payload as { exp: number; nbf: number };
  if (exp - nbf > MAX_LIFETIME_SECONDS) throw SimErrors.unauthorized('token lifetime over 120 s');
  if (expectedUri !== undefined && payload['uri'] !== expectedUri)
    throw SimErrors.unauthorized('uri mismatch');
  return key;
}

/** The bearer token of an Authorization header, or a 401. */
export function bearer(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !value.startsWith('Bearer '))
    throw SimErrors.unauthorized('missing bearer token');
  return value.slice('Bearer '.length).trim();
}
