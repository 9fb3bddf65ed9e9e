import { InvalidArgumentError } from '../errors.ts';
import type { InstrumentId, VenueId } from '../identifiers/index.ts';
import { FixedDecimal, Money } from '../values/index.ts';
import type { Price } from '../values/index.ts';
import { BookedFills } from './booked-fills.ts';
import type { FillRecall } from './booked-fills.ts';
import { fillKey } from './portfolio-fill.ts';
import type { PortfolioFill } from './portfolio-fill.ts';
import { applyExecution, emptyPosition, unrealisedPnl } from './position.ts';
import type { Position } from './position.ts';

/** A balance of one asset on one venue. */
export interface VenueBalanceLine {
  readonly venue: VenueId;
  readonly balance: Money;
}

/** One asset across venues: cash held, net position from trading, and the sum. */
export interface AssetExposure {
  readonly asset: string;
  /** Σ balances of the asset over venues. */
  readonly balance: Money;
  /** Σ signed positions of instruments whose base asset it is, over venues. */
  readonly position: FixedDecimal;
  readonly byVenue: readonly VenueBalanceLine[];
}

const key = (venue: VenueId, asset: string) => `${venue}:${asset}`;

/** Sizes of a ledger's memory of booked fills (see BookedFills). */
export interface PortfolioLedgerOptions {
  /** Default DEFAULT_REMEMBERED_FILLS. */
  readonly rememberedFills?: number;
  /** Default FILL_TIME_MARGIN_MS. */
  readonly fillTimeMarginMs?: number;
}

/**
 * An account's positions, balances, fees and PnL, booked from fills exactly once (dedupe by
 * instrument + trade id), in exact decimals. Spot accounting: a buy adds the base asset and spends
 * price × quantity of the quote asset; the fee is taken from the asset it is charged in.
 * Mutable and owned by one actor; `apply` is deterministic, so replaying fills rebuilds it.
 *
 * Only the newest booked fills' keys are kept (bounded): `recall` says whether a fill is a repeat
 * of one of them, new, or as old as fills already forgotten, which only the journal of booked
 * fills can settle (the portfolio actor asks it before it books such a fill).
 */
export class PortfolioLedger {
  private readonly balanceLines = new Map<string, VenueBalanceLine>();
  private readonly positionLines = new Map<InstrumentId, Position>();
  private readonly feeLines = new Map<string, VenueBalanceLine>();
  private readonly booked: BookedFills;
  private bookedCount = 0;
  private readonly fundedVenues = new Set<VenueId>();

  constructor(options: PortfolioLedgerOptions = {}) {
    this.booked = new BookedFills(options.rememberedFills, options.fillTimeMarginMs);
  }

  /** Sets a balance outright (a deposit, or the venue's figure at onboarding); the venue is then funded. */
  setBalance(venue: VenueId, amount: Money): void {
    this.balanceLines.set(key(venue, amount.currency), Object.freeze({ venue, balance: amount }));
    this.fundedVenues.add(venue);
  }

  /**
   * Venues where a balance was ever set. On any other venue the balances are only the net flows of
   * the account's fills (it trades on the venue connection's own funds), not what it holds.
   */
  funded(): readonly VenueId[] {
    return [...this.fundedVenues];
  }

  /**
   * Books a fill; false (and nothing changes) when this trade is remembered as booked. A fill that
   * `recall` calls UNKNOWN is booked too: check it against the journal first.
   */
  apply(fill: PortfolioFill): boolean {
    const dedupe = fillKey(fill);
    if (this.booked.has(dedupe)) return false;
    if (!fill.quantity.isPositive()) {
      throw new InvalidArgumentError(
        'fill.quantity',
        `must be greater than zero, got ${fill.quantity.toString()}`,
      );
    }
    if (!fill.price.isPositive()) {
      throw new InvalidArgumentError('fill.price', `must be greater than zero, got ${fill.price.toString()}`);
    }
    const { instrument } = fill;
    const notional = fill.price.mul(fill.quantity);
    const base = Money.fromRaw(fill.quantity.raw, fill.quantity.precision, instrument.baseAsset);
    const quote = Money.fromRaw(notional.raw, notional.precision, instrument.quoteAsset);
    const buy = fill.side === 'BUY';
    this.credit(instrument.venue, buy ? base : base.neg());
    this.credit(instrument.venue, buy ? quote.neg() : quote);
    this.credit(instrument.venue, fill.fee.neg());
    this.addFee(instrument.venue, fill.fee);
    const position = this.positionLines.get(instrument.id) ?? emptyPosition(instrument);
    this.positionLines.set(instrument.id, applyExecution(position, fill.side, fill.quantity, fill.price));
    this.booked.add(dedupe, fill.timestamp);
    this.bookedCount += 1;
    return true;
  }

  /** Whether the fill is a repeat of a remembered one, new, or too old to tell from memory. */
  recall(fill: Pick<PortfolioFill, 'instrument' | 'tradeId' | 'timestamp'>): FillRecall {
    return this.booked.recall(fillKey(fill), fill.timestamp);
  }

  /** Fills booked since the ledger was created (the journal's fills, after a recovery). */
  get appliedCount(): number {
    return this.bookedCount;
  }

  /** Booked fills whose keys the ledger remembers now (bounded). */
  get rememberedFills(): number {
    return this.booked.size;
  }

  balance(venue: VenueId, asset: string): Money {
    return this.balanceLines.get(key(venue, asset))?.balance ?? Money.zero(asset);
  }

  balances(): readonly VenueBalanceLine[] {
    return [...this.balanceLines.values()];
  }

  /** Fees paid per venue and asset (rebates count negative). */
  fees(): readonly VenueBalanceLine[] {
    return [...this.feeLines.values()];
  }

  position(instrumentId: InstrumentId): Position | undefined {
    return this.positionLines.get(instrumentId);
  }

  positions(): readonly Position[] {
    return [...this.positionLines.values()];
  }

  /** Realised PnL per quote asset over every instrument and venue, fees excluded. */
  realisedPnl(): ReadonlyMap<string, Money> {
    const totals = new Map<string, Money>();
    for (const p of this.positionLines.values()) {
      const prior = totals.get(p.realisedPnl.currency);
      totals.set(p.realisedPnl.currency, prior === undefined ? p.realisedPnl : prior.add(p.realisedPnl));
    }
    return totals;
  }

  /**
   * Unrealised PnL per quote asset, each position marked to its mid; positions whose mid `mids`
   * does not know are listed in `unmarked` rather than guessed.
   */
  unrealisedPnl(mids: (instrumentId: InstrumentId) => Price | undefined): {
    readonly byCurrency: ReadonlyMap<string, Money>;
    readonly unmarked: readonly InstrumentId[];
  } {
    const byCurrency = new Map<string, Money>();
    const unmarked: InstrumentId[] = [];
    for (const p of this.positionLines.values()) {
      if (p.quantity.isZero()) continue;
      const mid = mids(p.instrument.id);
      if (mid === undefined) {
        unmarked.push(p.instrument.id);
        continue;
      }
      const pnl = unrealisedPnl(p, mid);
      const prior = byCurrency.get(pnl.currency);
      byCurrency.set(pnl.currency, prior === undefined ? pnl : prior.add(pnl));
    }
    return { byCurrency, unmarked };
  }

  /** Per asset across venues: balances held and net traded position. */
  exposureByAsset(): readonly AssetExposure[] {
    const assets = new Map<string, { balance: Money; position: FixedDecimal; byVenue: VenueBalanceLine[] }>();
    const entry = (asset: string) => {
      let e = assets.get(asset);
      if (e === undefined) {
        e = { balance: Money.zero(asset), position: FixedDecimal.zero(), byVenue: [] };
        assets.set(asset, e);
      }
      return e;
    };
    for (const line of this.balanceLines.values()) {
      const e = entry(line.balance.currency);
      e.balance = e.balance.add(line.balance);
      e.byVenue.push(line);
    }
    for (const p of this.positionLines.values()) {
      const e = entry(p.instrument.baseAsset);
      e.position = e.position.add(p.quantity);
    }
    return [...assets.entries()].map(([asset, e]) =>
      Object.freeze({ asset, ...e, byVenue: Object.freeze(e.byVenue) }),
    );
  }

  /** Moves a balance line by a fill's flow; unlike `setBalance`, this does not fund the venue. */
  private credit(venue: VenueId, amount: Money): void {
    const balance = this.balance(venue, amount.currency).add(amount);
    this.balanceLines.set(key(venue, amount.currency), Object.freeze({ venue, balance }));
  }

  private addFee(venue: VenueId, fee: Money): void {
    const k = key(venue, fee.currency);
    const prior = this.feeLines.get(k)?.balance ?? Money.zero(fee.currency);
    this.feeLines.set(k, Object.freeze({ venue, balance: prior.add(fee) }));
  }
}
