import { InvalidArgumentError } from '../../domain/errors.ts';
import { FixedDecimal, Price, Quantity, RoundingMode } from '../../domain/values/index.ts';
import type { SubmitOrder, SubmitResult } from './commands.ts';
import { generatorSettings } from './market-data-generator-options.ts';
import type { GeneratorSettings, MarketDataGeneratorOptions } from './market-data-generator-options.ts';
import type { MatchingEngine } from './matching-engine.ts';
import type { InstrumentRules } from './paper-instrument.ts';
import { rawAt } from './paper-instrument.ts';
import { Prng } from './prng.ts';

/** What `step` did. */
export interface GeneratorStats {
  readonly placed: number;
  readonly cancelled: number;
  readonly marketable: number;
  readonly trades: number;
  /** Orders the engine refused (e.g. a post-only quote that would have crossed). */
  readonly rejected: number;
}

interface Resting {
  readonly orderId: string;
  readonly ticks: number;
  readonly isBuy: boolean;
}

const DEFAULT_QUOTE_FUNDING = '1000000000';

/**
 * Seeded order flow for one instrument against a MatchingEngine: a market maker account quoting
 * around a mid that follows a geometric random walk, cancelling its stalest quotes, and a taker
 * account whose marketable orders lean toward the mid, so the book follows it and trades print.
 * The caller drives time: `step(n)` performs n actions synchronously.
 *
 * The random walk's state is a float count of ticks (a model quantity, never money); every price sent
 * is an exact integer number of ticks and every size an integer number of steps, built as bigints.
 */
export class MarketDataGenerator {
  private readonly engine: MatchingEngine;
  private readonly instrumentId: string;
  private readonly rules: InstrumentRules;
  private readonly settings: GeneratorSettings;
  private readonly rng: Prng;
  private readonly tickRaw: bigint;
  private readonly stepRaw: bigint;
  private readonly minSteps: bigint;
  private readonly maxSteps: bigint;
  private readonly baseFunding: string;
  private readonly quoteFunding: string;
  /** The mid in ticks: continuous model state, rounded to whole ticks whenever a price is made. */
  private midTicks: number;
  private readonly resting: Resting[] = [];
  private nextClientId = 1;

  constructor(options: MarketDataGeneratorOptions) {
    this.engine = options.engine;
    this.instrumentId = options.instrumentId;
    this.rules = this.engine.instrumentRules(options.instrumentId);
    this.rng = new Prng(options.seed);
    this.tickRaw = this.rules.tickRaw;
    this.stepRaw = this.rules.stepRaw;
    const mid = rawAt(options.initialMid, this.rules.pricePrecision);
    if (mid === undefined || mid <= 0n || mid % this.tickRaw !== 0n) {
      throw new InvalidArgumentError('initialMid', 'must be a positive multiple of the tick size');
    }
    this.midTicks = Number(mid / this.tickRaw);
    this.settings = generatorSettings(options, this.midTicks);
    this.minSteps = (this.rules.minQtyRaw + this.stepRaw - 1n) / this.stepRaw || 1n;
    this.maxSteps = this.rules.maxQtyRaw / this.stepRaw;
    this.quoteFunding = options.quoteFunding ?? DEFAULT_QUOTE_FUNDING;
    this.baseFunding =
      options.baseFunding ??
      FixedDecimal.parse(this.quoteFunding, 'quoteFunding')
        .div(options.initialMid, this.rules.quantityPrecision, RoundingMode.FLOOR)
        .toString();
    for (const account of [this.settings.makerAccountId, this.settings.takerAccountId]) this.fund(account);
  }

  /** The model's current mid, rounded to the tick. */
  mid(): Price {
    return this.priceAt(Math.round(this.midTicks));
  }

  /** Performs `actions` actions (each: move the mid, then place, cancel or cross). */
  step(actions = 1): GeneratorStats {
    const stats = { placed: 0, cancelled: 0, marketable: 0, trades: 0, rejected: 0 };
    for (let i = 0; i < actions; i++) {
      this.moveMid();
      const roll = this.rng.nextFloat();
      const full = this.resting.length >= this.settings.maxOpenOrders;
      if ((roll < this.settings.limitBelow && !full) || this.resting.length === 0) this.placeQuote(stats);
      else if (roll < this.settings.cancelBelow || full) this.cancelStalest(stats);
      else this.cross(stats);
    }
    return stats;
  }

  private moveMid(): void {
    const { volatility, drift } = this.settings;
    if (volatility === 0 && drift === 0) return;
    const shock = drift - (volatility * volatility) / 2 + volatility * this.rng.nextNormal();
    this.midTicks = Math.max(1, this.midTicks * Math.exp(shock));
  }

  private priceAt(ticks: number): Price {
    return Price.fromRaw(BigInt(ticks) * this.tickRaw, this.rules.pricePrecision);
  }

  /** A size in whole steps: the minimum plus an exponential number of steps, meeting min notional at `ticks`. */
  private size(ticks: number): Quantity {
    let steps = this.minSteps + BigInt(Math.floor(this.rng.nextExponential(this.settings.meanSizeSteps)));
    const unitNotional = BigInt(ticks) * this.tickRaw * this.stepRaw;
    const forNotional = (this.rules.minNotionalRaw + unitNotional - 1n) / unitNotional;
    if (steps < forNotional) steps = forNotional;
    if (steps > this.maxSteps) steps = this.maxSteps;
    return Quantity.fromRaw(steps * this.stepRaw, this.rules.quantityPrecision);
  }

  private placeQuote(stats: { placed: number; cancelled: number; rejected: number }): void {
    const isBuy = this.rng.nextUint32() % 2 === 0;
    const distance = 1 + Math.floor(this.rng.nextExponential(this.settings.meanDistanceTicks));
    const mid = Math.round(this.midTicks);
    let ticks = isBuy ? mid - distance : mid + distance;
    this.requote(isBuy, ticks, stats);
    // Never quote through someone else's order: the quote would take (post-only refuses it anyway).
    const book = this.engine.book(this.instrumentId, 1);
    const best = (isBuy ? book.asks[0] : book.bids[0])?.[0];
    if (best !== undefined) {
      const bestTicks = Number((rawAt(best, this.rules.pricePrecision) ?? 0n) / this.tickRaw);
      ticks = isBuy ? Math.min(ticks, bestTicks - 1) : Math.max(ticks, bestTicks + 1);
    }
    if (ticks < 1) return;
    const result = this.submit(this.settings.makerAccountId, {
      clientOrderId: this.clientOrderId(),
      instrumentId: this.instrumentId,
      side: isBuy ? 'BUY' : 'SELL',
      type: 'LIMIT',
      timeInForce: 'GTC',
      price: this.priceAt(ticks),
      quantity: this.size(ticks),
      postOnly: true,
    });
    if (!result.accepted) {
      stats.rejected++;
      return;
    }
    stats.placed++;
    this.resting.push({ orderId: result.order.orderId, ticks, isBuy });
  }

  /** Cancels the maker's quotes on the other side at or through `ticks`: the mid has moved past them. */
  private requote(isBuy: boolean, ticks: number, stats: { cancelled: number }): void {
    const resting = this.resting;
    for (let i = resting.length - 1; i >= 0; i--) {
      const quote = resting[i] as Resting;
      if (quote.isBuy === isBuy || (isBuy ? quote.ticks > ticks : quote.ticks < ticks)) continue;
      resting[i] = resting[resting.length - 1] as Resting;
      resting.pop();
      const result = this.engine.cancel(
        this.settings.makerAccountId,
        { orderId: quote.orderId },
        this.instrumentId,
      );
      if (result.cancelled) stats.cancelled++;
    }
  }

  /** Cancels the stalest of a few random quotes: the one farthest from the mid on its side (behind the mid counts as stalest). */
  private cancelStalest(stats: { cancelled: number }): void {
    const resting = this.resting;
    const mid = this.midTicks;
    let pick = -1;
    let worst = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < 3; k++) {
      const at = this.rng.nextInt(resting.length);
      const quote = resting[at] as Resting;
      const away = quote.isBuy ? mid - quote.ticks : quote.ticks - mid;
      const staleness = away < 0 ? Number.POSITIVE_INFINITY : away;
      if (staleness > worst) {
        worst = staleness;
        pick = at;
      }
    }
    const quote = resting[pick] as Resting;
    resting[pick] = resting[resting.length - 1] as Resting;
    resting.pop();
    const result = this.engine.cancel(
      this.settings.makerAccountId,
      { orderId: quote.orderId },
      this.instrumentId,
    );
    if (result.cancelled) stats.cancelled++;
  }

  /** A marketable order from the taker, more likely on the side that pulls the book toward the mid. */
  private cross(stats: { marketable: number; trades: number; rejected: number }): void {
    const book = this.engine.book(this.instrumentId, 1);
    const bid = book.bids[0]?.[0];
    const ask = book.asks[0]?.[0];
    if (bid === undefined && ask === undefined) return;
    const pp = this.rules.pricePrecision;
    const toTicks = (p: Price | undefined): number | undefined =>
      p === undefined ? undefined : Number((rawAt(p, pp) ?? 0n) / this.tickRaw);
    const bidTicks = toTicks(bid);
    const askTicks = toTicks(ask);
    const bookMid =
      bidTicks !== undefined && askTicks !== undefined
        ? (bidTicks + askTicks) / 2
        : (bidTicks ?? askTicks ?? 0);
    const buyChance = this.midTicks > bookMid ? 0.7 : this.midTicks < bookMid ? 0.3 : 0.5;
    let isBuy = this.rng.chance(buyChance);
    if (isBuy && askTicks === undefined) isBuy = false;
    if (!isBuy && bidTicks === undefined) isBuy = true;
    const touch = (isBuy ? askTicks : bidTicks) as number;
    const limitTicks = isBuy ? touch + 2 : Math.max(1, touch - 2);
    const result = this.submit(this.settings.takerAccountId, {
      clientOrderId: this.clientOrderId(),
      instrumentId: this.instrumentId,
      side: isBuy ? 'BUY' : 'SELL',
      type: 'LIMIT',
      timeInForce: 'IOC',
      price: this.priceAt(limitTicks),
      quantity: this.size(touch),
    });
    if (!result.accepted) {
      stats.rejected++;
      return;
    }
    stats.marketable++;
    stats.trades += result.fills.length;
  }

  /** Submits, topping the account up once if its balance is short. */
  private submit(accountId: string, cmd: SubmitOrder): SubmitResult {
    const result = this.engine.submit(accountId, cmd);
    if (result.accepted || result.reason !== 'INSUFFICIENT_BALANCE') return result;
    this.fund(accountId);
    return this.engine.submit(accountId, cmd);
  }

  private fund(accountId: string): void {
    this.engine.deposit(accountId, this.rules.base, this.baseFunding);
    this.engine.deposit(accountId, this.rules.quote, this.quoteFunding);
  }

  private clientOrderId(): string {
    return `gen-${this.nextClientId++}`;
  }
}
