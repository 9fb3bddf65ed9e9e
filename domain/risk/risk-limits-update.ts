import { z } from 'zod';
import { InvalidArgumentError } from '../errors.ts';
import { parseInstrumentId, parseVenueId } from '../identifiers/index.ts';
import type { InstrumentId } from '../identifiers/index.ts';
import { Money, Quantity, assertCurrencyCode } from '../values/index.ts';
import type { RiskLimits } from './risk-limits.ts';
import { venueAssetKey } from './risk-limits.ts';

// Decimals travel as strings (exact); `null` removes a limit.
const decimalText = z.string().min(1).max(64);
const removable = <T extends z.ZodType>(schema: T) => schema.nullable().optional();

/** A change to an account's limits as it arrives from an operator or the API (JSON). */
export const RiskLimitsUpdateSchema = z.strictObject({
  killSwitch: z.boolean().optional(),
  maxOrderNotional: z.record(z.string(), decimalText.nullable()).optional(),
  maxPosition: z.record(z.string(), decimalText.nullable()).optional(),
  maxVenuePosition: z.record(z.string(), z.record(z.string(), decimalText.nullable())).optional(),
  maxOpenOrders: removable(z.int().min(0).max(1_000_000)),
  orderRate: removable(
    z.strictObject({ burst: z.int().min(1).max(1_000_000), perSecond: z.number().positive().max(1_000_000) }),
  ),
  priceBandBps: removable(z.int().min(1).max(100_000)),
});
export type RiskLimitsUpdate = z.infer<typeof RiskLimitsUpdateSchema>;

function nonNegative<T extends Quantity | Money>(value: T, field: string): T {
  if (value.sign() < 0)
    throw new InvalidArgumentError(field, `must not be negative, got ${value.toString()}`);
  return value;
}

function merged<K, V>(
  current: ReadonlyMap<K, V>,
  changes: Readonly<Record<string, string | null>> | undefined,
  parse: (key: string, text: string) => [K, V],
  key: (text: string) => K,
): ReadonlyMap<K, V> {
  if (changes === undefined) return current;
  const next = new Map(current);
  for (const [name, text] of Object.entries(changes)) {
    if (text === null) next.delete(key(name));
    else {
      const [k, v] = parse(name, text);
      next.set(k, v);
    }
  }
  return next;
}

/**
 * `current` with `update` applied. `update` is validated first (unknown fields, wrong types,
 * negative or malformed decimals, unknown currencies, instruments or venues): a bad update throws
 * `InvalidArgumentError` naming the field (e.g. `limits.maxPosition.BTC-USD.PAPER`) and changes nothing.
 */
export function updateRiskLimits(current: RiskLimits, update: unknown): RiskLimits {
  const parsed = RiskLimitsUpdateSchema.safeParse(update);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue === undefined ? '' : issue.path.map(String).join('.');
    throw new InvalidArgumentError(
      path === '' ? 'limits' : `limits.${path}`,
      issue?.message ?? 'invalid limits update',
    );
  }
  const u = parsed.data;
  const notional = merged(
    current.maxOrderNotional,
    u.maxOrderNotional,
    (currency, text) => {
      const field = `limits.maxOrderNotional.${currency}`;
      assertCurrencyCode(currency, field);
      return [currency, nonNegative(Money.parse(text, currency, field), field)];
    },
    (currency) => currency,
  );
  const position = merged(
    current.maxPosition,
    u.maxPosition,
    (id, text): [InstrumentId, Quantity] => {
      const field = `limits.maxPosition.${id}`;
      return [parseInstrumentId(id, field), nonNegative(Quantity.parse(text, field), field)];
    },
    (id) => parseInstrumentId(id, `limits.maxPosition.${id}`),
  );
  let venuePosition = current.maxVenuePosition;
  for (const [venueText, assets] of Object.entries(u.maxVenuePosition ?? {})) {
    const venue = parseVenueId(venueText, `limits.maxVenuePosition.${venueText}`);
    venuePosition = merged(
      venuePosition,
      assets,
      (asset, text) => {
        const field = `limits.maxVenuePosition.${venueText}.${asset}`;
        assertCurrencyCode(asset, field);
        return [venueAssetKey(venue, asset), nonNegative(Quantity.parse(text, field), field)];
      },
      (asset) => venueAssetKey(venue, asset),
    );
  }
  const pick = <T>(changed: T | null | undefined, kept: T | undefined): T | undefined =>
    changed === undefined ? kept : changed === null ? undefined : changed;
  const maxOpenOrders = pick(u.maxOpenOrders, current.maxOpenOrders);
  const orderRate = pick(u.orderRate, current.orderRate);
  const priceBandBps = pick(u.priceBandBps, current.priceBandBps);
  return Object.freeze({
    killSwitch: u.killSwitch ?? current.killSwitch,
    maxOrderNotional: notional,
    maxPosition: position,
    maxVenuePosition: venuePosition,
    ...(maxOpenOrders === undefined ? {} : { maxOpenOrders }),
    ...(orderRate === undefined ? {} : { orderRate: Object.freeze({ ...orderRate }) }),
    ...(priceBandBps === undefined ? {} : { priceBandBps }),
  });
}
