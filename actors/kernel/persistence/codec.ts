import { InvalidArgumentError } from '../../../domain/errors.ts';

/** Turns events or snapshots into the bytes stored in the journal, and back. */
export interface Codec<T> {
  encode(value: T): Uint8Array;
  decode(bytes: Uint8Array): T;
}

/**
 * UTF-8 JSON. Exact decimals must already be strings (as the domain's fixed-point values format
 * themselves): a `number` would round and a `bigint` cannot be stored, so a bigint is refused.
 */
export function jsonCodec<T>(): Codec<T> {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return {
    encode(value) {
      return encoder.encode(
        JSON.stringify(value, (key, field: unknown) => {
          if (typeof field === 'bigint') {
            throw new InvalidArgumentError(
              key || 'value',
              'a bigint cannot be journalled as JSON; store it as a string',
            );
          }
          return field;
        }),
      );
    },
    decode(bytes) {
      return JSON.parse(decoder.decode(bytes)) as T;
    },
  };
}
