import { InvalidArgumentError } from '../errors.ts';
import { quoteInput } from './decimal-parser.ts';

const MIN_LENGTH = 2;
const MAX_LENGTH = 10;

/** True for 2 to 10 characters of A-Z and 0-9 (ISO 4217 codes and exchange asset codes such as USDT, 1INCH). */
export function isCurrencyCode(code: string): boolean {
  if (typeof code !== 'string' || code.length < MIN_LENGTH || code.length > MAX_LENGTH) return false;
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i);
    const isDigit = c >= 48 && c <= 57;
    const isUpper = c >= 65 && c <= 90;
    if (!isDigit && !isUpper) return false;
  }
  return true;
}

export function assertCurrencyCode(code: string, field = 'currency'): void {
  if (!isCurrencyCode(code)) {
    const shown = typeof code === 'string' ? quoteInput(code) : typeof code;
    throw new InvalidArgumentError(
      field,
      `${shown} is not a currency code: expected 2 to 10 characters of A-Z and 0-9 (e.g. USD, BTC, USDT)`,
    );
  }
}
