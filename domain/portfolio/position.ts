import type { OrderSide } from '../orders/index.ts';
import { FixedDecimal, MAX_PRECISION, Money, Price, RoundingMode } from '../values/index.ts';
import type { Quantity } from '../values/index.ts';
import type { TradedInstrument } from './portfolio-fill.ts';

/** Part of a position opened by one fill at one price; `quantity` > 0, its sign is the position's. */
export interface Lot {
  readonly quantity: FixedDecimal;
  readonly price: Price;
}

/**
 * The net position in one instrument, with its open lots in FIFO order. Realised PnL is computed
 * lot by lot (FIFO), so every figure is an exact product of a price and a quantity: no average
 * price, hence no division and no rounding.
 */
export interface Position {
  readonly instrument: TradedInstrument;
  /** Signed net quantity in the base asset: long > 0, short < 0. */
  readonly quantity: FixedDecimal;
  /** Open lots, oldest first, all on the side of `quantity`. */
  readonly lots: readonly Lot[];
  /** Realised PnL in the quote asset, fees excluded (they are booked apart). */
  readonly realisedPnl: Money;
}

export function emptyPosition(instrument: TradedInstrument): Position {
  return Object.freeze({
    instrument,
    quantity: FixedDecimal.zero(),
    lots: Object.freeze([]),
    realisedPnl: Money.zero(instrument.quoteAsset),
  });
}

/** The position after one execution: closes opposite lots first (FIFO), opens a lot with the rest. */
export function applyExecution(
  position: Position,
  side: OrderSide,
  quantity: Quantity,
  price: Price,
): Position {
  const sign = side === 'BUY' ? 1 : -1;
  let remaining = FixedDecimal.from(quantity);
  let realised = FixedDecimal.from(position.realisedPnl);
  const lots = [...position.lots];
  const longBefore = position.quantity.sign();
  // Close lots of the opposite side.
  while (remaining.isPositive() && lots.length > 0 && longBefore === -sign) {
    const lot = lots[0] as Lot;
    const closed = remaining.min(lot.quantity);
    // A long lot closed by a sell gains (price − lot price); a short lot closed by a buy gains (lot price − price).
    const perUnit =
      longBefore > 0 ? FixedDecimal.from(price.sub(lot.price)) : FixedDecimal.from(lot.price.sub(price));
    realised = realised.add(perUnit.mul(closed));
    remaining = remaining.sub(closed);
    if (closed.eq(lot.quantity)) lots.shift();
    else lots[0] = Object.freeze({ quantity: lot.quantity.sub(closed), price: lot.price });
  }
  if (remaining.isPositive()) lots.push(Object.freeze({ quantity: remaining, price }));
  const signed = sign > 0 ? FixedDecimal.from(quantity) : FixedDecimal.from(quantity).neg();
  return Object.freeze({
    instrument: position.instrument,
    quantity: position.quantity.add(signed),
    lots: Object.freeze(lots),
    realisedPnl: Money.fromRaw(realised.raw, realised.precision, position.instrument.quoteAsset),
  });
}

/** Unrealised PnL of the open lots marked to `mid`, in the quote asset (fees excluded). */
export function unrealisedPnl(position: Position, mid: Price): Money {
  const direction = position.quantity.sign();
  let total = FixedDecimal.zero();
  for (const lot of position.lots) {
    const perUnit = FixedDecimal.from(mid.sub(lot.price));
    total = total.add(perUnit.mul(lot.quantity));
  }
  if (direction < 0) total = total.neg();
  return Money.fromRaw(total.raw, total.precision, position.instrument.quoteAsset);
}

/** Decimals the average entry price carries beyond its lots' prices (when it does not come out exact). */
const AVERAGE_EXTRA_DECIMALS = 8;

/**
 * The quantity-weighted average price of the open lots (what the position cost per unit), for
 * display: undefined while flat. The one division in the portfolio: exact when the average has no
 * more decimals than the lots' prices, else rounded half-even at AVERAGE_EXTRA_DECIMALS more
 * (never beyond MAX_PRECISION). PnL never uses it; it is computed lot by lot.
 */
export function averageEntryPrice(position: Position): Price | undefined {
  if (position.lots.length === 0) return undefined;
  let cost = FixedDecimal.zero();
  let quantity = FixedDecimal.zero();
  let pricePrecision = 0;
  for (const lot of position.lots) {
    cost = cost.add(FixedDecimal.from(lot.price).mul(lot.quantity));
    quantity = quantity.add(lot.quantity);
    pricePrecision = Math.max(pricePrecision, lot.price.precision);
  }
  const fine = Math.min(MAX_PRECISION, pricePrecision + AVERAGE_EXTRA_DECIMALS);
  const average = cost.div(quantity, fine, RoundingMode.HALF_EVEN);
  const coarse = average.withPrecision(pricePrecision, RoundingMode.HALF_EVEN);
  // Exact at the lots' precision when coarse × quantity gives the cost back.
  return Price.from(coarse.mul(quantity).eq(cost) ? coarse : average);
}
