import { InvalidArgumentError, NotFoundError } from '../errors.ts';
import { parseInstrumentId } from '../identifiers/index.ts';
import type { ClientOrderId, InstrumentId, VenueId } from '../identifiers/index.ts';
import type { Instrument } from '../instruments/index.ts';
import type { OrderSide } from '../orders/index.ts';
import { FixedDecimal } from '../values/index.ts';
import type { Price, Quantity } from '../values/index.ts';
import { venueAssetKey } from './risk-limits.ts';

/** What an open order puts at risk: its remaining size, and the price its reservation is made at. */
/** The parts of an instrument exposure is counted by. */
export type ExposureInstrument = Pick<Instrument, 'id' | 'venue' | 'baseAsset' | 'quoteAsset'>;

export interface OpenOrderRisk {
  readonly clientOrderId: ClientOrderId;
  readonly instrument: ExposureInstrument;
  readonly side: OrderSide;
  readonly remaining: Quantity;
  /** The limit price, else the stop price, else the reference price when it was placed (MARKET). */
  readonly reservePrice: Price;
}

interface Entry {
  readonly instrumentId: InstrumentId;
  readonly side: OrderSide;
  /** `venue:base` — where the position and the sell reservation are counted. */
  readonly baseKey: string;
  /** `venue:quote` — where the buy reservation is counted. */
  readonly quoteKey: string;
  readonly reservePrice: Price;
  remaining: FixedDecimal;
}

const ZERO = FixedDecimal.zero();

function addTo<K>(map: Map<K, FixedDecimal>, key: K, delta: FixedDecimal): void {
  const next = (map.get(key) ?? ZERO).add(delta);
  if (next.isZero()) map.delete(key);
  else map.set(key, next);
}

/**
 * As addTo for the open-order totals, which keep a key at zero rather than delete it: their keys
 * are the account's instruments and assets (few), and a Map emptied by a delete gets a new backing
 * table from V8, so an account with one order at a time paid a table per total and order, each
 * referenced from the long-lived map until the next (promoted by the scavenges meanwhile).
 */
function addKeepingZero<K>(map: Map<K, FixedDecimal>, key: K, delta: FixedDecimal): void {
  map.set(key, (map.get(key) ?? ZERO).add(delta));
}

/** The read side the pre-trade checks use: all figures are O(1) lookups, whatever the number of orders. */
export interface ExposureView {
  readonly openOrderCount: number;
  /** Net signed position in the instrument's base asset (buys positive). */
  position(instrumentId: InstrumentId): FixedDecimal;
  /** Net signed position in `asset` on `venue`, over all its instruments with that base asset. */
  venuePosition(venue: VenueId, asset: string): FixedDecimal;
  /** Remaining size of open orders on one side of the instrument. */
  openQuantity(instrumentId: InstrumentId, side: OrderSide): FixedDecimal;
  /** The same over all instruments of `asset` on `venue`. */
  venueOpenQuantity(venue: VenueId, asset: string, side: OrderSide): FixedDecimal;
  /** What open orders hold of `asset` on `venue`: quote for buys (remaining × price), base for sells. */
  reserved(venue: VenueId, asset: string): FixedDecimal;
}

/** Net positions by instrument id and by `venue:asset`, as exact decimal strings. */
export interface ExposurePositions {
  readonly instruments: readonly (readonly [string, string])[];
  readonly venues: readonly (readonly [string, string])[];
}

/**
 * One account's open-order reservations and net positions, kept as running totals so a pre-trade
 * check costs the same with 1 or 1,000 open orders. Mutable, owned by one order manager; every
 * update is exact (bigint fixed point).
 */
export class AccountExposure implements ExposureView {
  private readonly orders = new Map<ClientOrderId, Entry>();
  private readonly positions = new Map<InstrumentId, FixedDecimal>();
  private readonly venuePositions = new Map<string, FixedDecimal>();
  private readonly open = { BUY: new Map<string, FixedDecimal>(), SELL: new Map<string, FixedDecimal>() };
  private readonly venueOpen = {
    BUY: new Map<string, FixedDecimal>(),
    SELL: new Map<string, FixedDecimal>(),
  };
  private readonly reservations = new Map<string, FixedDecimal>();

  get openOrderCount(): number {
    return this.orders.size;
  }

  hasOrder(clientOrderId: ClientOrderId): boolean {
    return this.orders.has(clientOrderId);
  }

  position(instrumentId: InstrumentId): FixedDecimal {
    return this.positions.get(instrumentId) ?? ZERO;
  }

  venuePosition(venue: VenueId, asset: string): FixedDecimal {
    return this.venuePositions.get(venueAssetKey(venue, asset)) ?? ZERO;
  }

  openQuantity(instrumentId: InstrumentId, side: OrderSide): FixedDecimal {
    return this.open[side].get(instrumentId) ?? ZERO;
  }

  venueOpenQuantity(venue: VenueId, asset: string, side: OrderSide): FixedDecimal {
    return this.venueOpen[side].get(venueAssetKey(venue, asset)) ?? ZERO;
  }

  reserved(venue: VenueId, asset: string): FixedDecimal {
    return this.reservations.get(venueAssetKey(venue, asset)) ?? ZERO;
  }

  /** Counts a new open order; its id must not be open already. */
  addOrder(order: OpenOrderRisk): void {
    if (this.orders.has(order.clientOrderId)) {
      throw new InvalidArgumentError('clientOrderId', `order ${order.clientOrderId} is already counted`);
    }
    const { instrument } = order;
    const entry: Entry = {
      instrumentId: instrument.id,
      side: order.side,
      baseKey: venueAssetKey(instrument.venue, instrument.baseAsset),
      quoteKey: venueAssetKey(instrument.venue, instrument.quoteAsset),
      reservePrice: order.reservePrice,
      remaining: ZERO,
    };
    this.orders.set(order.clientOrderId, entry);
    this.changeRemaining(entry, FixedDecimal.from(order.remaining));
  }

  /**
   * Applies an execution of `quantity` on `side` of `instrument`: the position moves, and when the
   * order is counted as open its remaining size and reservation shrink (never below zero).
   */
  applyFill(
    clientOrderId: ClientOrderId,
    instrument: ExposureInstrument,
    side: OrderSide,
    quantity: Quantity,
  ): void {
    const signed = side === 'BUY' ? FixedDecimal.from(quantity) : FixedDecimal.from(quantity).neg();
    addTo(this.positions, instrument.id, signed);
    addTo(this.venuePositions, venueAssetKey(instrument.venue, instrument.baseAsset), signed);
    const entry = this.orders.get(clientOrderId);
    if (entry === undefined) return;
    const filled = FixedDecimal.from(quantity).min(entry.remaining);
    this.changeRemaining(entry, filled.neg());
  }

  /** Stops counting an order (it ended: filled, cancelled, rejected, expired). */
  removeOrder(clientOrderId: ClientOrderId): void {
    const entry = this.orders.get(clientOrderId);
    if (entry === undefined) throw new NotFoundError(`order ${clientOrderId} is not counted as open`);
    this.changeRemaining(entry, entry.remaining.neg());
    this.orders.delete(clientOrderId);
  }

  /** The net positions as exact decimal strings (what a snapshot keeps when orders leave the state). */
  positionsSnapshot(): ExposurePositions {
    return {
      instruments: [...this.positions].map(([id, quantity]) => [id, quantity.toString()]),
      venues: [...this.venuePositions].map(([key, quantity]) => [key, quantity.toString()]),
    };
  }

  /** Restores the positions of a snapshot; call on a fresh exposure, before any fill. */
  restorePositions(positions: ExposurePositions): void {
    for (const [id, quantity] of positions.instruments) {
      addTo(this.positions, parseInstrumentId(id, 'position'), FixedDecimal.parse(quantity, 'position'));
    }
    for (const [key, quantity] of positions.venues) {
      addTo(this.venuePositions, key, FixedDecimal.parse(quantity, 'venuePosition'));
    }
  }

  private changeRemaining(entry: Entry, delta: FixedDecimal): void {
    if (delta.isZero()) return;
    entry.remaining = entry.remaining.add(delta);
    addKeepingZero(this.open[entry.side], entry.instrumentId, delta);
    addKeepingZero(this.venueOpen[entry.side], entry.baseKey, delta);
    if (entry.side === 'BUY')
      addKeepingZero(this.reservations, entry.quoteKey, delta.mul(entry.reservePrice));
    else addKeepingZero(this.reservations, entry.baseKey, delta);
  }
}
