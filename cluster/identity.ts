import { InvalidArgumentError } from '../domain/errors.ts';

/**
 * The address of a virtual actor: `kind/key`, e.g. `venue/binanceus`, `book/binanceus/BTC-USD`,
 * `orders/<accountId>`. Code addresses actors by identity, never by node. `text` is the canonical
 * form (what placement hashes and what etcd activation keys end with).
 */
export interface Identity {
  readonly kind: string;
  readonly key: string;
  readonly text: string;
}

const KIND_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;
/** One key segment: letters, digits and `. _ - : @ = +` (covers venue names, symbols, UUIDs). */
const SEGMENT_PATTERN = /^[A-Za-z0-9._:@=+-]+$/;
export const MAX_IDENTITY_KEY_LENGTH = 256;

/** Throws InvalidArgumentError (field `identity.kind`) unless `kind` is a well-formed kind name. */
export function validateKindName(kind: string, field = 'identity.kind'): void {
  if (!KIND_PATTERN.test(kind)) {
    throw new InvalidArgumentError(
      field,
      `must be 1-32 characters of a-z, 0-9 and '-', starting with a letter; got ${JSON.stringify(kind)}`,
    );
  }
}

/** Validates a key (one or more `/`-separated segments) and returns its segments. */
export function validateIdentityKey(key: string): readonly string[] {
  if (key.length === 0) throw new InvalidArgumentError('identity.key', 'must not be empty');
  if (key.length > MAX_IDENTITY_KEY_LENGTH) {
    throw new InvalidArgumentError(
      'identity.key',
      `must be at most ${String(MAX_IDENTITY_KEY_LENGTH)} characters; got ${String(key.length)}`,
    );
  }
  const segments = key.split('/');
  for (const segment of segments) {
    if (segment.length === 0) {
      throw new InvalidArgumentError('identity.key', `has an empty segment: ${JSON.stringify(key)}`);
    }
    if (segment === '.' || segment === '..' || !SEGMENT_PATTERN.test(segment)) {
      throw new InvalidArgumentError(
        'identity.key',
        `segment ${JSON.stringify(segment)} must be letters, digits or . _ - : @ = + (and not . or ..)`,
      );
    }
  }
  return segments;
}

/**
 * Builds an identity from its parts, checking syntax only. Whether the kind is registered is the
 * KindRegistry's business (`KindRegistry.identity` / `KindRegistry.parse`).
 */
export function identity(kind: string, key: string): Identity {
  validateKindName(kind);
  validateIdentityKey(key);
  return Object.freeze({ kind, key, text: `${kind}/${key}` });
}

/** Parses `kind/key`, checking syntax only (see `identity`). */
export function parseIdentity(text: string): Identity {
  if (typeof text !== 'string') throw new InvalidArgumentError('identity', 'must be a string');
  const slash = text.indexOf('/');
  if (slash <= 0) {
    throw new InvalidArgumentError(
      'identity',
      `must be "kind/key"; got ${JSON.stringify(text.slice(0, 300))}`,
    );
  }
  return identity(text.slice(0, slash), text.slice(slash + 1));
}

/** The canonical `kind/key` text. */
export function formatIdentity(id: Identity): string {
  return id.text;
}

export function identitiesEqual(a: Identity, b: Identity): boolean {
  return a.text === b.text;
}
