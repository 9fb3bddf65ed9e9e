import { FixedDecimal, Quantity } from '../../domain/values/index.ts';
import type { Price } from '../../domain/values/index.ts';
import type { PaperTrade } from './commands.ts';
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

/** Numbers kept per recent trade in `recentNumbers`: trade id, taker id, maker id, time. */
const RECENT_FIELDS = 4;

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
  // Recent trades as parallel arrays of what a PaperTrade view needs (built on query), rather than the
  // taker fills themselves: a fill holds its fee, fee bigint and trade id bigint, and a ring of them
  // alive at every scavenge was ≈ 10 % of the bytes the collector copied.
  private readonly recentPrices: Price[] = [];
  private readonly recentQuantities: Quantity[] = [];
  /** Trade ids, engine ids of taker and maker, and times (numbers: safe integers, built as text or bigint on query). */
  private readonly recentNumbers: Float64Array;
  private readonly recentTakerBuys: Uint8Array;
  private recentCount = 0;
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
    this.recentNumbers = new Float64Array(recentTradesLimit * RECENT_FIELDS);
    this.recentTakerBuys = new Uint8Array(recentTradesLimit);
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

  recordTrade(
    tradeId: number,
    price: Price,
    quantity: Quantity,
    takerBuys: boolean,
    takerId: number,
    makerId: number,
    time: number,
  ): void {
    const limit = this.recentTradesLimit;
    if (limit === 0) return;
    const at = this.recentNext;
    this.recentPrices[at] = price;
    this.recentQuantities[at] = quantity;
    const numbers = this.recentNumbers;
    const base = at * RECENT_FIELDS;
    numbers[base] = tradeId;
    numbers[base + 1] = takerId;
    numbers[base + 2] = makerId;
    numbers[base + 3] = time;
    this.recentTakerBuys[at] = takerBuys ? 1 : 0;
    this.recentNext = at + 1 === limit ? 0 : at + 1;
    if (this.recentCount < limit) this.recentCount++;
  }

  /** The most recent trades, oldest first. */
  recentTrades(limit: number): PaperTrade[] {
    const size = this.recentCount;
    const count = Math.min(limit, size);
    const trades: PaperTrade[] = [];
    const numbers = this.recentNumbers;
    for (let k = size - count; k < size; k++) {
      // Oldest first: the ring starts at recentNext once it is full.
      const at = size < this.recentTradesLimit ? k : (this.recentNext + k) % size;
      const base = at * RECENT_FIELDS;
      const takerBuys = this.recentTakerBuys[at] === 1;
      const takerId = String(numbers[base + 1]);
      const makerId = String(numbers[base + 2]);
      trades.push({
        instrumentId: this.rules.id,
        tradeId: BigInt(numbers[base] as number),
        price: this.recentPrices[at] as Price,
        quantity: this.recentQuantities[at] as Quantity,
        takerSide: takerBuys ? 'BUY' : 'SELL',
        buyerOrderId: takerBuys ? takerId : makerId,
        sellerOrderId: takerBuys ? makerId : takerId,
        time: numbers[base + 3] as number,
      });
    }
    return trades;
  }
}
