import type { Brand } from './brand.ts';
import { checkIdentifier } from './identifier-text.ts';

/**
 * The venue's id for one execution (Binance `tradeId`, Coinbase `trade_id`, OANDA fill
 * transaction id), as text: 1 to 64 visible ASCII characters. Unique per venue and symbol, which
 * is what makes a repeated fill recognisable.
 */
export type TradeId = Brand<string, 'TradeId'>;

const TRADE_ID = /^[\x21-\x7e]{1,64}$/;
const EXPECTED = 'a trade id of 1 to 64 visible ASCII characters';

/** Validates a trade id; throws `InvalidArgumentError` naming `field` when it is not one. */
export function parseTradeId(text: unknown, field = 'tradeId'): TradeId {
  return checkIdentifier(text, field, TRADE_ID, EXPECTED) as TradeId;
}

export function isTradeId(value: unknown): value is TradeId {
  return typeof value === 'string' && TRADE_ID.test(value);
}
