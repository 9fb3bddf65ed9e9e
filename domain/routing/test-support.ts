// Shared by the routing tests; not exported from the folder.
import { createInstrument } from '../instruments/index.ts';
import type { Instrument } from '../instruments/index.ts';
import { FixedDecimal, Money, Price, Quantity } from '../values/index.ts';
import type { RouteLevel, RouteVenueInput } from './route-plan.ts';

export interface VenueRules {
  readonly tick?: string;
  readonly step?: string;
  readonly minQuantity?: string;
  readonly maxQuantity?: string;
  readonly minNotional?: string;
}

export function btcUsdOn(venue: string, symbol: string, rules: VenueRules = {}): Instrument {
  return createInstrument({
    venue,
    symbol,
    baseAsset: 'BTC',
    quoteAsset: 'USD',
    tickSize: Price.parse(rules.tick ?? '0.01'),
    stepSize: Quantity.parse(rules.step ?? '0.0001'),
    minQuantity: Quantity.parse(rules.minQuantity ?? rules.step ?? '0.0001'),
    maxQuantity: Quantity.parse(rules.maxQuantity ?? '1000'),
    minNotional: Money.parse(rules.minNotional ?? '0', 'USD'),
  });
}

export const levels = (...pairs: readonly (readonly [string, string])[]): RouteLevel[] =>
  pairs.map(([price, quantity]) => ({ price: Price.parse(price), quantity: Quantity.parse(quantity) }));

export function venueInput(
  instrument: Instrument,
  fee: string,
  book: readonly RouteLevel[],
  accountId = `account-${instrument.venue}`,
): RouteVenueInput {
  return { accountId, instrument, takerFeeRate: FixedDecimal.parse(fee), levels: book };
}
