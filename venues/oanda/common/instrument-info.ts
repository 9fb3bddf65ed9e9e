import type { Instrument } from '../../../domain/index.ts';
import type { FixedDecimal } from '../../../domain/values/index.ts';

/** An OANDA instrument: the domain Instrument plus the venue facts the connector checks orders against. */
export interface OandaInstrumentInfo {
  readonly instrument: Instrument;
  /** The OANDA name, e.g. EUR_USD (also the domain symbol). */
  readonly name: string;
  /** CURRENCY, CFD or METAL. */
  readonly type: string;
  /** Decimals allowed in prices (tick = 10^-displayPrecision). */
  readonly displayPrecision: number;
  /** Decimals allowed in units (step = 10^-tradeUnitsPrecision). */
  readonly tradeUnitsPrecision: number;
  readonly pipLocation: number;
  readonly marginRate: FixedDecimal;
}
