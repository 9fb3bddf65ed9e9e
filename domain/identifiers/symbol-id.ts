import type { Brand } from './brand.ts';
import { checkIdentifier } from './identifier-text.ts';

/**
 * A venue-native symbol exactly as the venue spells it: `BTCUSD` (Binance.US), `BTC-USD`
 * (Coinbase), `EUR_USD` (OANDA). Uppercase letters and digits, with `_ - / .` as inner separators;
 * 1 to 32 characters, first and last an uppercase letter or digit.
 *
 * Lowercase is rejected rather than folded: every venue we speak publishes its symbols uppercase,
 * and Binance's lowercase stream names are the adapter's concern. A symbol cannot end in a
 * separator, so `<symbol>.<VENUE>` in an `InstrumentId` always reads unambiguously.
 */
export type SymbolId = Brand<string, 'SymbolId'>;

const SYMBOL_ID = /^[A-Z0-9](?:[A-Z0-9_\-/.]{0,30}[A-Z0-9])?$/;
const EXPECTED =
  'a venue symbol of 1 to 32 uppercase letters or digits with inner separators _ - / . (e.g. "BTC-USD")';

/** Validates a venue symbol; throws `InvalidArgumentError` naming `field` when it is not one. */
export function parseSymbolId(text: unknown, field = 'symbol'): SymbolId {
  return checkIdentifier(text, field, SYMBOL_ID, EXPECTED) as SymbolId;
}

export function isSymbolId(value: unknown): value is SymbolId {
  return typeof value === 'string' && SYMBOL_ID.test(value);
}
