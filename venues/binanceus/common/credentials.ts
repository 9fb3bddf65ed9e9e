import { createHmac } from 'node:crypto';
import { InvalidArgumentError } from '../../../domain/errors.ts';

/**
 * A Binance.US API key and its HMAC secret. The secret lives in a private field, so neither
 * JSON.stringify, util.inspect nor a logger that serialises the object can print it.
 */
export class BinanceUsCredentials {
  readonly apiKey: string;
  readonly #secret: string;

  constructor(apiKey: string, secret: string) {
    if (apiKey.length === 0) throw new InvalidArgumentError('apiKey', 'must not be empty');
    if (secret.length === 0) throw new InvalidArgumentError('secret', 'must not be empty');
    this.apiKey = apiKey;
    this.#secret = secret;
  }

  /** Lowercase hex HMAC-SHA256 of `message` keyed by the secret. */
  sign(message: string): string {
    return createHmac('sha256', this.#secret).update(message).digest('hex');
  }

  toJSON(): { apiKey: string } {
    return { apiKey: this.apiKey };
  }

  toString(): string {
    return `BinanceUsCredentials(${this.apiKey.slice(0, 6)}…)`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
