import type { Logger } from '../../../observability/index.ts';
import { FixedDecimal, RoundingMode } from '../../../domain/values/index.ts';
import type { FixedPoint } from '../../../domain/values/index.ts';
import type { MatchingEngine } from '../../paper/index.ts';
import type { SimInstrument } from './common/instruments.ts';

const P = 8;
const HE = RoundingMode.HALF_EVEN;
const ONE = FixedDecimal.parse('1');
const fd = (v: FixedPoint): FixedDecimal => FixedDecimal.from(v);

interface Position {
  /** Signed units: positive long, negative short. */
  units: FixedDecimal;
  /** Average entry price of the open units. */
  average: FixedDecimal;
}

/**
 * The OANDA side of the simulated account: a home-currency balance, one net position per instrument,
 * and margin (|units| × mid × marginRate in the home currency). The paper engine matches orders; this
 * ledger decides whether the account can afford them (INSUFFICIENT_MARGIN) and books realised P/L.
 * Crosses with no simulated conversion pair to the home currency convert at 1 (logged once).
 */
export class MarginAccount {
  readonly currency: string;
  #balance: FixedDecimal;
  readonly #positions = new Map<string, Position>();
  readonly #instruments: ReadonlyMap<string, SimInstrument>;
  readonly #engine: MatchingEngine;
  readonly #logger: Logger;
  readonly #warned = new Set<string>();

  constructor(options: {
    currency: string;
    balance: FixedDecimal;
    instruments: ReadonlyMap<string, SimInstrument>;
    engine: MatchingEngine;
    logger: Logger;
  }) {
    this.currency = options.currency;
    this.#balance = options.balance.withPrecision(P, HE);
    this.#instruments = options.instruments;
    this.#engine = options.engine;
    this.#logger = options.logger;
  }

  get balance(): FixedDecimal {
    return this.#balance;
  }

  deposit(amount: FixedDecimal): void {
    this.#balance = this.#balance.add(amount.withPrecision(P, HE));
  }

  /** Mid price from the engine book (else last trade, else the reference price). */
  mid(i: SimInstrument): FixedDecimal {
    const book = this.#engine.book(i.name, 1);
    const bid = book.bids[0]?.[0];
    const ask = book.asks[0]?.[0];
    if (bid !== undefined && ask !== undefined)
      return fd(bid).add(fd(ask)).div(FixedDecimal.parse('2'), P, HE);
    return fd(bid ?? ask ?? this.#engine.lastPrice(i.name) ?? i.referencePrice);
  }

  /** Home-currency value of one unit of `quote`. */
  homePerQuote(quote: string): FixedDecimal {
    if (quote === this.currency) return ONE;
    const direct = this.#instruments.get(`${quote}_${this.currency}`);
    if (direct !== undefined) return this.mid(direct);
    const inverse = this.#instruments.get(`${this.currency}_${quote}`);
    if (inverse !== undefined) return ONE.div(this.mid(inverse), P, HE);
    if (!this.#warned.has(quote)) {
      this.#warned.add(quote);
      this.#logger.warn({ quote, home: this.currency }, 'no conversion pair simulated; converting at 1');
    }
    return ONE;
  }

  position(name: string): Position {
    return this.#positions.get(name) ?? { units: FixedDecimal.zero(), average: FixedDecimal.zero() };
  }

  #margin(i: SimInstrument, units: FixedDecimal, price: FixedDecimal): FixedDecimal {
    return units
      .abs()
      .mulDecimal(price, P, HE)
      .mulDecimal(i.marginRate, P, HE)
      .mulDecimal(this.homePerQuote(i.quote), P, HE);
  }

  marginUsed(): FixedDecimal {
    let total = FixedDecimal.zero(P);
    for (const [name, p] of this.#positions) {
      const i = this.#instruments.get(name);
      if (i !== undefined) total = total.add(this.#margin(i, p.units, this.mid(i)));
    }
    return total;
  }

  unrealizedPL(): FixedDecimal {
    let total = FixedDecimal.zero(P);
    for (const [name, p] of this.#positions) {
      const i = this.#instruments.get(name);
      if (i === undefined || p.units.isZero()) continue;
      total = total.add(
        this.mid(i).sub(p.average).mulDecimal(p.units, P, HE).mulDecimal(this.homePerQuote(i.quote), P, HE),
      );
    }
    return total;
  }

  nav(): FixedDecimal {
    return this.#balance.add(this.unrealizedPL());
  }

  marginAvailable(): FixedDecimal {
    return this.nav().sub(this.marginUsed());
  }

  /** Whether adding `units` at `price` keeps the margin used within NAV. */
  canAfford(i: SimInstrument, units: FixedDecimal, price: FixedPoint): boolean {
    const p = this.position(i.name);
    const extra = this.#margin(i, p.units.add(units), fd(price)).sub(this.#margin(i, p.units, fd(price)));
    return !extra.isPositive() || extra.lte(this.marginAvailable());
  }

  /** Books a fill; returns the realised P/L in the home currency (zero when it only opened units). */
  fill(i: SimInstrument, units: FixedDecimal, price: FixedPoint): FixedDecimal {
    const p = this.position(i.name);
    const px = fd(price);
    let pl = FixedDecimal.zero(P);
    if (p.units.isZero() || p.units.sign() === units.sign()) {
      const total = p.units.add(units);
      p.average = p.average
        .mulDecimal(p.units, P, HE)
        .add(px.mulDecimal(units, P, HE))
        .div(total, P, HE);
      p.units = total;
    } else {
      const closing = units.abs().lt(p.units.abs()) ? units : p.units.neg();
      // Closing `closing` units (opposite sign to the position) at px: P/L = (px − average) × −closing.
      pl = px.sub(p.average).mulDecimal(closing.neg(), P, HE).mulDecimal(this.homePerQuote(i.quote), P, HE);
      this.#balance = this.#balance.add(pl);
      const total = p.units.add(units);
      if (total.isZero()) p.average = FixedDecimal.zero();
      else if (total.sign() !== p.units.sign()) p.average = px;
      p.units = total;
    }
    this.#positions.set(i.name, p);
    return pl;
  }

  openPositionCount(): number {
    let n = 0;
    for (const p of this.#positions.values()) if (!p.units.isZero()) n++;
    return n;
  }
}
