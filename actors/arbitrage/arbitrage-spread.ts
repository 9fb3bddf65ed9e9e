// Cross-venue arbitrage arithmetic, pure and exact: buy where the ask is lowest, sell where the bid
// is highest, and act only when what is left after both venues' taker fees beats a minimum.
import { InvalidArgumentError } from '../../domain/errors.ts';
import type { Price } from '../../domain/values/index.ts';
import { FixedDecimal, Quantity, RoundingMode } from '../../domain/values/index.ts';

const BPS = FixedDecimal.parse('10000');

/** One venue's top of book for the asset, with what trading there costs. */
export interface VenueQuote {
  readonly venue: string;
  readonly instrumentId: string;
  readonly bid?: { readonly price: Price; readonly quantity: Quantity };
  readonly ask?: { readonly price: Price; readonly quantity: Quantity };
  /** Taker fee rate, e.g. 0.001 for 10 bp. */
  readonly takerFee: FixedDecimal;
  readonly step: Quantity;
  /**
   * The venue's smallest order value for the instrument: a leg below it would be refused there
   * while the other leg trades, leaving the position unhedged, so such an opportunity is not taken.
   */
  readonly minNotional?: FixedDecimal;
}

export interface ArbitrageLimits {
  /** Largest quantity of one leg. */
  readonly maxQuantity: Quantity;
  /** Smallest edge worth acting on after fees, in bps of the buy price; ≥ 0. */
  readonly minNetBps: number;
}

/** Buy `quantity` at `buy`'s ask and sell it at `sell`'s bid. Figures per unit are in the quote asset. */
export interface Opportunity {
  readonly buy: VenueQuote;
  readonly sell: VenueQuote;
  readonly buyPrice: Price;
  readonly sellPrice: Price;
  readonly quantity: Quantity;
  /** sell price − buy price. */
  readonly grossPerUnit: FixedDecimal;
  /** buy price × buy fee + sell price × sell fee. */
  readonly feesPerUnit: FixedDecimal;
  /** gross − fees. */
  readonly netPerUnit: FixedDecimal;
  /** net × quantity. */
  readonly netTotal: FixedDecimal;
}

/** The net edge of buying at `buyPrice` on one venue and selling at `sellPrice` on another, per unit. */
export function netEdge(
  buyPrice: Price,
  buyFee: FixedDecimal,
  sellPrice: Price,
  sellFee: FixedDecimal,
): { readonly gross: FixedDecimal; readonly fees: FixedDecimal; readonly net: FixedDecimal } {
  const gross = FixedDecimal.from(sellPrice.sub(buyPrice));
  const fees = buyPrice.mul(Quantity.from(buyFee)).add(sellPrice.mul(Quantity.from(sellFee)));
  return { gross, fees, net: gross.sub(fees) };
}

/** A quantity both venues accept: the coarser step is a multiple of the finer (powers of ten). */
function commonStep(a: Quantity, b: Quantity): Quantity {
  return a.gte(b) ? a : b;
}

/** Whether a leg of `quantity` at `price` is worth less than its venue's minimum order value. */
function belowMinimum(quote: VenueQuote, price: Price, quantity: Quantity): boolean {
  return quote.minNotional !== undefined && price.mul(quantity).lt(quote.minNotional);
}

/**
 * The best opportunity among every ordered pair of venues (by net total), or undefined when none
 * clears `minNetBps` after fees, or the sizes on offer round to nothing or to less than a leg's
 * venue minimum order value.
 */
export function bestOpportunity(
  quotes: readonly VenueQuote[],
  limits: ArbitrageLimits,
): Opportunity | undefined {
  if (!Number.isSafeInteger(limits.minNetBps) || limits.minNetBps < 0) {
    throw new InvalidArgumentError('minNetBps', `must be a whole number ≥ 0, got ${limits.minNetBps}`);
  }
  if (!limits.maxQuantity.isPositive()) {
    throw new InvalidArgumentError('maxQuantity', `must be > 0, got ${limits.maxQuantity.toString()}`);
  }
  const minBps = FixedDecimal.parse(String(limits.minNetBps));
  let best: Opportunity | undefined;
  for (const buy of quotes) {
    for (const sell of quotes) {
      if (buy === sell || buy.ask === undefined || sell.bid === undefined) continue;
      const { gross, fees, net } = netEdge(buy.ask.price, buy.takerFee, sell.bid.price, sell.takerFee);
      if (!net.isPositive()) continue;
      // net / buy price ≥ minNetBps / 10000, without dividing.
      if (net.mulDecimal(BPS).lt(FixedDecimal.from(buy.ask.price).mulDecimal(minBps))) continue;
      const quantity = buy.ask.quantity
        .min(sell.bid.quantity)
        .min(limits.maxQuantity)
        .roundTo(commonStep(buy.step, sell.step), RoundingMode.FLOOR);
      if (quantity.isZero()) continue;
      if (belowMinimum(buy, buy.ask.price, quantity) || belowMinimum(sell, sell.bid.price, quantity))
        continue;
      const netTotal = net.mulDecimal(quantity);
      if (best !== undefined && !netTotal.gt(best.netTotal)) continue;
      best = {
        buy,
        sell,
        buyPrice: buy.ask.price,
        sellPrice: sell.bid.price,
        quantity,
        grossPerUnit: gross,
        feesPerUnit: fees,
        netPerUnit: net,
        netTotal,
      };
    }
  }
  return best;
}
