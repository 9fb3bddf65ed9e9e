import { Venues, createInstrument } from '../../../domain/index.ts';
import { Money, Price, Quantity } from '../../../domain/values/index.ts';
import type { OandaInstrumentInfo } from './instrument-info.ts';
import { MalformedPayloadError } from './parse-error.ts';
import { asObject, decimal, int, quantity, str } from './parse-fields.ts';

const KIND = 'instrument';

function precision(value: number, field: string): number {
  if (value < 0 || value > 10) throw new MalformedPayloadError(KIND, field, `out of range: ${value}`);
  return value;
}

/**
 * One entry of GET /v3/accounts/{id}/instruments → a domain Instrument: tick = 10^-displayPrecision,
 * step = 10^-tradeUnitsPrecision, min quantity = minimumTradeSize, max = maximumOrderUnits, no
 * minimum notional (zero), base/quote from the name (`EUR_USD` → EUR, USD).
 */
export function parseInstrument(value: unknown): OandaInstrumentInfo {
  const o = asObject(value, KIND);
  const name = str(o, 'name', KIND);
  const parts = name.split('_');
  if (parts.length !== 2) throw new MalformedPayloadError(KIND, 'name', `expected BASE_QUOTE, got ${name}`);
  const [base, quote] = parts as [string, string];
  const displayPrecision = precision(int(o, 'displayPrecision', KIND), 'displayPrecision');
  const tradeUnitsPrecision = precision(int(o, 'tradeUnitsPrecision', KIND), 'tradeUnitsPrecision');
  const minQuantity = quantity(o, 'minimumTradeSize', KIND);
  const maxQuantity = quantity(o, 'maximumOrderUnits', KIND);
  const instrument = createInstrument({
    venue: Venues.OANDA,
    symbol: name,
    baseAsset: base,
    quoteAsset: quote,
    tickSize: Price.fromRaw(1n, displayPrecision),
    stepSize: Quantity.fromRaw(1n, tradeUnitsPrecision),
    minQuantity,
    maxQuantity,
    minNotional: Money.zero(quote),
  });
  return {
    instrument,
    name,
    type: str(o, 'type', KIND),
    displayPrecision,
    tradeUnitsPrecision,
    pipLocation: int(o, 'pipLocation', KIND),
    marginRate: decimal(o, 'marginRate', KIND),
  };
}

/** The `instruments` array of the instruments body. */
export function parseInstruments(body: unknown): OandaInstrumentInfo[] {
  const list = asObject(body, 'instruments')['instruments'];
  if (!Array.isArray(list))
    throw new MalformedPayloadError('instruments', 'instruments', 'expected an array');
  return list.map((i: unknown) => parseInstrument(i));
}
