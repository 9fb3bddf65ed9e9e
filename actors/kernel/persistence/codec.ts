import { InvalidArgumentError } from '../../../domain/errors.ts';

function refuseBigint(key: string, field: unknown): unknown {
  if (typeof field === 'bigint') {
    throw new InvalidArgumentError(
      key || 'value',
      'a bigint cannot be journalled as JSON; store it as a string',
    );
  }
  return field;
}

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
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return {
    encode(value) {
      let json: string;
      try {
        // No replacer on the hot path (a replacer call per field costs more than the encoding).
        json = JSON.stringify(value);
      } catch (error) {
        if (!(error instanceof TypeError)) throw error;
        // A bigint (refused natively): this pass names its field. Anything else (a cycle): below.
        JSON.stringify(value, refuseBigint);
        throw new InvalidArgumentError('value', `cannot be journalled as JSON: ${error.message}`, {
          cause: error,
        });
      }
      return Buffer.from(json, 'utf8');
    },
    decode(bytes) {
      return JSON.parse(decoder.decode(bytes)) as T;
    },
  };
}
