import { InvalidArgumentError } from '../../domain/errors.ts';

/** `kind/key`, e.g. `orders/acc-1` or `book/binanceus/BTC-USD`: how code addresses an actor. */
export type Identity = string;

const KIND_PATTERN = /^[a-z][a-z0-9-]{0,63}$/;
const MAX_KEY_LENGTH = 512;

/** Throws InvalidArgumentError unless `kind` is a lower-case slug (`orders`, `strategy-host`). */
export function validateKind(kind: string): string {
  if (!KIND_PATTERN.test(kind)) {
    throw new InvalidArgumentError('kind', `"${kind}" is not a lower-case slug of at most 64 characters`);
  }
  return kind;
}

/** The identity of the actor of `kind` with `key`; the key may contain `/` but no control character. */
export function identityOf(kind: string, key: string): Identity {
  validateKind(kind);
  if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new InvalidArgumentError('key', `must be 1 to ${MAX_KEY_LENGTH} characters, got ${key.length}`);
  }
  // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(key)) {
    throw new InvalidArgumentError('key', 'must not contain control characters');
  }
  return `${kind}/${key}`;
}
