import { InvalidArgumentError } from '../../../domain/errors.ts';

const ACCOUNT_ID = /^[0-9]{3}-[0-9]{3}-[0-9]+-[0-9]{3}$/;

/** A personal access token and the v20 account it trades; the token never appears in logs or JSON. */
export class OandaCredentials {
  readonly accountId: string;
  readonly #token: string;

  constructor(token: string, accountId: string) {
    if (typeof token !== 'string' || token.length < 8 || /\s/.test(token)) {
      throw new InvalidArgumentError('oanda.token', 'must be a non-empty token without whitespace');
    }
    if (typeof accountId !== 'string' || !ACCOUNT_ID.test(accountId)) {
      throw new InvalidArgumentError(
        'oanda.accountId',
        `must look like 101-004-1435156-001, got ${accountId}`,
      );
    }
    this.#token = token;
    this.accountId = accountId;
  }

  /** The `Authorization` header value. */
  authorization(): string {
    return `Bearer ${this.#token}`;
  }

  toJSON(): { accountId: string; token: string } {
    return { accountId: this.accountId, token: '<redacted>' };
  }
}
