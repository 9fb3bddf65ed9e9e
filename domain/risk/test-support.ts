// Shared by the risk tests; not exported from the folder.
import { createInstrument } from '../instruments/index.ts';
import type { Instrument } from '../instruments/index.ts';
import { FixedDecimal, Money, Price, Quantity } from '../values/index.ts';
import type { PreTradeContext, ProposedOrder } from './pre-trade-check.ts';
import { AccountExposure } from './account-exposure.ts';
import { emptyRiskLimits } from './risk-limits.ts';

export const BTC_USD: Instrument = createInstrument({
  venue: 'paper',
  symbol: 'BTC-USD',
  baseAsset: 'BTC',
  quoteAsset: 'USD',
  tickSize: Price.parse('0.01'),
  stepSize: Quantity.parse('0.0001'),
  minQuantity: Quantity.parse('0.0001'),
  maxQuantity: Quantity.parse('1000'),
  minNotional: Money.parse('1', 'USD'),
});

export const BTC_EUR: Instrument = createInstrument({
  venue: 'paper',
  symbol: 'BTC-EUR',
  baseAsset: 'BTC',
  quoteAsset: 'EUR',
  tickSize: Price.parse('0.01'),
  stepSize: Quantity.parse('0.0001'),
  minQuantity: Quantity.parse('0.0001'),
  maxQuantity: Quantity.parse('1000'),
  minNotional: Money.parse('1', 'EUR'),
});

export function limitBuy(quantity: string, price: string, instrument = BTC_USD): ProposedOrder {
  return {
    instrument,
    side: 'BUY',
    type: 'LIMIT',
    quantity: Quantity.parse(quantity),
    price: Price.parse(price),
  };
}

export function limitSell(quantity: string, price: string, instrument = BTC_USD): ProposedOrder {
  return {
    instrument,
    side: 'SELL',
    type: 'LIMIT',
    quantity: Quantity.parse(quantity),
    price: Price.parse(price),
  };
}

/** A context with no limits, a 100.00 mid and ample balances; override what a test is about. */
export function context(changes: Partial<PreTradeContext> = {}): PreTradeContext {
  return {
    limits: emptyRiskLimits(),
    clusterKillSwitch: false,
    exposure: new AccountExposure(),
    mid: Price.parse('100.00'),
    balance: () => FixedDecimal.parse('1000000'),
    bucket: undefined,
    nowMs: 1_700_000_000_000,
    ...changes,
  };
}
