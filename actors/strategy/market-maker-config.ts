import { z } from 'zod';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { parseInstrumentId } from '../../domain/index.ts';
import type { InstrumentId } from '../../domain/index.ts';
import { FixedDecimal, Price, Quantity } from '../../domain/values/index.ts';
import { validateQuoteParams } from './market-maker-quotes.ts';
import type { QuoteParams } from './market-maker-quotes.ts';

const bps = z.int().min(0).max(10_000);
const decimal = z.string().min(1).max(40);

/** A market maker's settings as they travel in its tick (JSON: decimals as text). */
export const MarketMakerConfigSchema = z.strictObject({
  accountId: z.string().min(1).max(64),
  /** `book/<venue>/<symbol>`. */
  book: z.string().regex(/^book\/[a-z0-9-]+\/[A-Za-z0-9_-]+$/, 'must be book/<venue>/<symbol>'),
  instrumentId: z.string().min(1),
  halfSpreadBps: bps,
  skewBpsAtLimit: bps,
  requoteThresholdBps: bps,
  quoteSize: decimal,
  maxPosition: decimal,
  tick: decimal,
  step: decimal,
  /** The venue's minimum order value in the quote asset (absent: none). */
  minNotional: decimal.optional(),
  /** Orders placed or replaced per rolling minute, at most. */
  maxOrdersPerMinute: z.int().min(1).max(600),
});
export type MarketMakerConfigWire = z.infer<typeof MarketMakerConfigSchema>;

export interface MarketMakerConfig {
  readonly accountId: string;
  readonly book: string;
  readonly instrumentId: InstrumentId;
  readonly quote: QuoteParams;
  readonly requoteThresholdBps: number;
  readonly maxOrdersPerMinute: number;
}

/** Validates a config; a bad one throws InvalidArgumentError naming the field (`config.<field>`). */
export function parseMarketMakerConfig(value: unknown): MarketMakerConfig {
  const parsed = MarketMakerConfigSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue === undefined ? '' : issue.path.map(String).join('.');
    throw new InvalidArgumentError(path === '' ? 'config' : `config.${path}`, issue?.message ?? 'invalid');
  }
  const c = parsed.data;
  const quote: QuoteParams = {
    halfSpreadBps: c.halfSpreadBps,
    skewBpsAtLimit: c.skewBpsAtLimit,
    quoteSize: Quantity.parse(c.quoteSize, 'config.quoteSize'),
    maxPosition: Quantity.parse(c.maxPosition, 'config.maxPosition'),
    tick: Price.parse(c.tick, 'config.tick'),
    step: Quantity.parse(c.step, 'config.step'),
    ...(c.minNotional === undefined
      ? {}
      : { minNotional: FixedDecimal.parse(c.minNotional, 'config.minNotional') }),
  };
  validateQuoteParams(quote);
  return {
    accountId: c.accountId,
    book: c.book,
    instrumentId: parseInstrumentId(c.instrumentId, 'config.instrumentId'),
    quote,
    requoteThresholdBps: c.requoteThresholdBps,
    maxOrdersPerMinute: c.maxOrdersPerMinute,
  };
}
