import { z } from 'zod';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { parseInstrumentId } from '../../domain/index.ts';
import type { InstrumentId } from '../../domain/index.ts';
import { FixedDecimal, Quantity } from '../../domain/values/index.ts';

const decimal = z.string().min(1).max(40);

const legSchema = z.strictObject({
  venue: z.string().regex(/^[a-z0-9-]+$/),
  /** Our account on that venue (`orders/<accountId>` places the leg). */
  accountId: z.string().min(1).max(64),
  book: z.string().regex(/^book\/[a-z0-9-]+\/[A-Za-z0-9_-]+$/, 'must be book/<venue>/<symbol>'),
  instrumentId: z.string().min(1),
  takerFee: decimal,
  step: decimal,
  /** The venue's smallest order value (price × quantity) for the instrument; absent: none. */
  minNotional: decimal.optional(),
});

/** An arbitrage detector's settings as they travel in its tick (JSON: decimals as text). */
export const ArbitrageConfigSchema = z.strictObject({
  /** The venues quoting the same asset; at least two. */
  legs: z.array(legSchema).min(2).max(10),
  minNetBps: z.int().min(0).max(10_000),
  maxQuantity: decimal,
  /** Two-leg executions per rolling minute, at most. */
  maxActionsPerMinute: z.int().min(1).max(60),
});
export type ArbitrageConfigWire = z.infer<typeof ArbitrageConfigSchema>;

export interface ArbitrageLeg {
  readonly venue: string;
  readonly accountId: string;
  readonly book: string;
  readonly instrumentId: InstrumentId;
  readonly takerFee: FixedDecimal;
  readonly step: Quantity;
  readonly minNotional?: FixedDecimal;
}

export interface ArbitrageConfig {
  readonly legs: readonly ArbitrageLeg[];
  readonly minNetBps: number;
  readonly maxQuantity: Quantity;
  readonly maxActionsPerMinute: number;
}

/** Validates a config; a bad one throws InvalidArgumentError naming the field (`config.<field>`). */
export function parseArbitrageConfig(value: unknown): ArbitrageConfig {
  const parsed = ArbitrageConfigSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue === undefined ? '' : issue.path.map(String).join('.');
    throw new InvalidArgumentError(path === '' ? 'config' : `config.${path}`, issue?.message ?? 'invalid');
  }
  const c = parsed.data;
  const maxQuantity = Quantity.parse(c.maxQuantity, 'config.maxQuantity');
  if (!maxQuantity.isPositive()) throw new InvalidArgumentError('config.maxQuantity', 'must be > 0');
  return {
    legs: c.legs.map((leg, i) => ({
      venue: leg.venue,
      accountId: leg.accountId,
      book: leg.book,
      instrumentId: parseInstrumentId(leg.instrumentId, `config.legs.${i}.instrumentId`),
      takerFee: FixedDecimal.parse(leg.takerFee, `config.legs.${i}.takerFee`),
      step: Quantity.parse(leg.step, `config.legs.${i}.step`),
      ...(leg.minNotional === undefined
        ? {}
        : { minNotional: FixedDecimal.parse(leg.minNotional, `config.legs.${i}.minNotional`) }),
    })),
    minNetBps: c.minNetBps,
    maxQuantity,
    maxActionsPerMinute: c.maxActionsPerMinute,
  };
}
