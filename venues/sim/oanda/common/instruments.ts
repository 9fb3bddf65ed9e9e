import { InvalidArgumentError } from '../../../../domain/errors.ts';
import { FixedDecimal, Price, Quantity } from '../../../../domain/values/index.ts';
import type { PaperInstrumentSpec } from '../../../paper/index.ts';

/** A simulated OANDA instrument: the engine's instrument (id = the OANDA name) and its v20 facts. */
export interface SimInstrument {
  readonly spec: PaperInstrumentSpec;
  readonly name: string;
  readonly base: string;
  readonly quote: string;
  readonly displayPrecision: number;
  readonly tradeUnitsPrecision: number;
  readonly pipLocation: number;
  readonly marginRate: FixedDecimal;
  readonly minimumTradeSize: Quantity;
  readonly maximumOrderUnits: Quantity;
  readonly referencePrice: Price;
}

interface Template {
  readonly displayPrecision: number;
  readonly pipLocation: number;
  readonly marginRate: string;
  readonly reference: string;
}

// Precisions as OANDA publishes them (majors 5 decimals, pip 10^-4; JPY crosses 3 decimals, pip 10^-2).
const KNOWN: Readonly<Record<string, Template>> = {
  EUR_USD: { displayPrecision: 5, pipLocation: -4, marginRate: '0.02', reference: '1.10000' },
  GBP_USD: { displayPrecision: 5, pipLocation: -4, marginRate: '0.03', reference: '1.27000' },
  AUD_USD: { displayPrecision: 5, pipLocation: -4, marginRate: '0.03', reference: '0.66000' },
  USD_CAD: { displayPrecision: 5, pipLocation: -4, marginRate: '0.02', reference: '1.36000' },
  USD_JPY: { displayPrecision: 3, pipLocation: -2, marginRate: '0.04', reference: '150.000' },
  EUR_JPY: { displayPrecision: 3, pipLocation: -2, marginRate: '0.04', reference: '160.000' },
};

/** The simulator's instrument for an OANDA name such as EUR_USD (unknown pairs get major-pair rules). */
export function simInstrument(name: string): SimInstrument {
  const m = /^([A-Z]{3})_([A-Z]{3})$/.exec(name);
  if (m === null)
    throw new InvalidArgumentError('symbols', `${name} is not an OANDA currency pair like EUR_USD`);
  const [, base, quote] = m as unknown as [string, string, string];
  const jpy = quote === 'JPY';
  const t = KNOWN[name] ?? {
    displayPrecision: jpy ? 3 : 5,
    pipLocation: jpy ? -2 : -4,
    marginRate: '0.05',
    reference: jpy ? '100.000' : '1.00000',
  };
  const tick = Price.fromRaw(1n, t.displayPrecision);
  const minimumTradeSize = Quantity.parse('1');
  const maximumOrderUnits = Quantity.parse('100000000');
  return {
    spec: {
      id: name,
      symbol: name,
      base,
      quote,
      tickSize: tick,
      stepSize: Quantity.fromRaw(1n, 0),
      minQty: minimumTradeSize,
      maxQty: maximumOrderUnits,
      minNotional: FixedDecimal.zero(),
    },
    name,
    base,
    quote,
    displayPrecision: t.displayPrecision,
    tradeUnitsPrecision: 0,
    pipLocation: t.pipLocation,
    marginRate: FixedDecimal.parse(t.marginRate),
    minimumTradeSize,
    maximumOrderUnits,
    referencePrice: Price.parse(t.reference),
  };
}

/** One entry of the GET .../instruments body. */
export function instrumentBody(i: SimInstrument): Record<string, unknown> {
  return {
    name: i.name,
    type: 'CURRENCY',
    displayName: `${i.base}/${i.quote}`,
    pipLocation: i.pipLocation,
    displayPrecision: i.displayPrecision,
    tradeUnitsPrecision: i.tradeUnitsPrecision,
    minimumTradeSize: i.minimumTradeSize.toString(),
    maximumTrailingStopDistance: '1.00000',
    minimumTrailingStopDistance: '0.00050',
    maximumPositionSize: '0',
    maximumOrderUnits: i.maximumOrderUnits.toString(),
    marginRate: i.marginRate.toString(),
  };
}
