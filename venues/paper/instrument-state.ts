import { FixedDecimal, Quantity } from '../../domain/values/index.ts';
import type { PaperTrade } from './commands.ts';
import type { PaperOrderSide } from './order-enums.ts';
import type { PaperFill } from './paper-order.ts';
import type { AssetLedger } from './ledger.ts';
import { OrderBook } from './order-book.ts';
import { pow10 } from './paper-instrument.ts';
import type { InstrumentRules } from './paper-instrument.ts';
import { StopBook } from './stop-book.ts';

/** Exact fee of `amount × rate` scaled by 10^shift, rounding half to even when shift < 0. */
function scaledFee(product: bigint, shift: number): bigint {
  if (shift >= 0) return shift === 0 ? product : product * pow10(shift);
  const divisor = pow10(-shift);
  const q = product / divisor;
  const r2 = (product % divisor) * 2n;
  if (r2 > divisor || (r2 === divisor && (q & 1n) === 1n)) return q + 1n;
  return q;
}

/** Everything the engine keeps for one instrument. */
export class InstrumentState {
  readonly book = new OrderBook();
  readonly stops = new StopBook();
  /** Raw price of the last trade, at the tick's precision; meaningful when `hasLastPrice`. */
  lastPrice = 0n;
  hasLastPrice = false;
  /** 10^(base ledger precision − quantity precision): base quantity → ledger raw. */
  readonly baseMul: bigint;
  /** 10^(quote ledger precision − notional precision): notional → ledger raw. */
  readonly quoteMul: bigint;
  private readonly baseFeeShift: number;
  private readonly quoteFeeShift: number;
  readonly zeroQuantity: Quantity;
  readonly zeroNotional: FixedDecimal;
  /** Recent trades as their taker fills (no extra object per trade); PaperTrade views are built on query. */
  private readonly recentFills: PaperFill[] = [];
  private readonly recentTakerSides: PaperOrderSide[] = [];
  /** Engine ids (numbers: the text is built only when trades are queried). */
  private readonly recentMakerIds: number[] = [];
  private recentNext = 0;

  constructor(
    readonly index: number,
    readonly rules: InstrumentRules,
    readonly baseAsset: AssetLedger,
    readonly quoteAsset: AssetLedger,
    feeRatePrecision: number,
    private readonly recentTradesLimit: number,
  ) {
    this.baseMul = pow10(baseAsset.precision - rules.quantityPrecision);
    this.quoteMul = pow10(quoteAsset.precision - rules.notionalPrecision);
    this.zeroQuantity = Quantity.zero(rules.quantityPrecision);
    this.zeroNotional = FixedDecimal.zero(rules.notionalPrecision);
    this.baseFeeShift = baseAsset.precision - rules.quantityPrecision - feeRatePrecision;
    this.quoteFeeShift = quoteAsset.precision - rules.notionalPrecision - feeRatePrecision;
  }

  /** A base quantity (raw at quantity precision) at the base ledger precision. */
  toBaseLedger(quantity: bigint): bigint {
    return this.baseMul === 1n ? quantity : quantity * this.baseMul;
  }

  /** A notional (raw at notional precision) at the quote ledger precision. */
  toQuoteLedger(notional: bigint): bigint {
    return this.quoteMul === 1n ? notional : notional * this.quoteMul;
  }

  get id(): string {
    return this.rules.id;
  }

  /** Fee on a base quantity (raw at quantity precision), raw at the base ledger precision. */
  baseFee(quantity: bigint, rate: bigint): bigint {
    return rate === 0n ? 0n : scaledFee(quantity * rate, this.baseFeeShift);
  }

  /** Fee on a notional (raw at notional precision), raw at the quote ledger precision. */
  quoteFee(notional: bigint, rate: bigint): bigint {
    return rate === 0n ? 0n : scaledFee(notional * rate, this.quoteFeeShift);
  }

  recordTrade(takerFill: PaperFill, takerSide: PaperOrderSide, makerId: number): void {
    if (this.recentTradesLimit === 0) return;
    const at = this.recentNext;
    this.recentFills[at] = takerFill;
    this.recentTakerSides[at] = takerSide;
    this.recentMakerIds[at] = makerId;
    this.recentNext = at + 1 === this.recentTradesLimit ? 0 : at + 1;
  }

  /** The most recent trades, oldest first. */
  recentTrades(limit: number): PaperTrade[] {
    const size = this.recentFills.length;
    const count = Math.min(limit, size);
    const trades: PaperTrade[] = [];
    for (let k = size - count; k < size; k++) {
      // Oldest first: the ring starts at recentNext once it is full.
      const at = size < this.recentTradesLimit ? k : (this.recentNext + k) % size;
      const fill = this.recentFills[at] as PaperFill;
      const takerBuys = this.recentTakerSides[at] === 'BUY';
      const makerId = String(this.recentMakerIds[at]);
      trades.push({
        instrumentId: this.rules.id,
        tradeId: fill.tradeId,
        price: fill.price,
        quantity: fill.quantity,
        takerSide: takerBuys ? 'BUY' : 'SELL',
        buyerOrderId: takerBuys ? fill.orderId : makerId,
        sellerOrderId: takerBuys ? makerId : fill.orderId,
        time: fill.time,
      });
    }
    return trades;
  }
}
