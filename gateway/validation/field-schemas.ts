import { z } from 'zod';
import {
  isOrderId,
  isSymbolId,
  isVenueId,
  parseAccountId,
  parseClientOrderId,
} from '../../domain/identifiers/index.ts';
import { FixedDecimal, decimalSyntaxError } from '../../domain/values/index.ts';

/**
 * Zod schemas of the request fields, over the proto3 JSON form of the messages (camelCase names,
 * enums by name, Decimal as {"value": "..."}, Timestamp as RFC 3339 text). gRPC requests are turned
 * into that form first, so one schema validates both transports.
 */

function messageOf(check: () => unknown): string | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    // The domain parsers throw InvalidArgumentError("<field>: <why>"); keep only the why.
    return (error as Error).message.replace(/^[^:]*: /, '');
  }
}

/** A UUID text (any case; handlers use the lower-case form). */
export const uuid = z
  .string()
  .max(36)
  .superRefine((value, ctx) => {
    const problem = messageOf(() => parseAccountId(value, 'id'));
    if (problem !== undefined)
      ctx.addIssue({ code: 'custom', message: problem.replace('an account id', 'a UUID') });
  })
  .transform((value) => value.toLowerCase());

export const orderId = z.string().max(36).refine(isOrderId, 'must be a lower-case UUID');

export const clientOrderId = z
  .string()
  .max(36)
  .superRefine((value, ctx) => {
    const problem = messageOf(() => parseClientOrderId(value));
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });

export const venue = z.string().max(32).refine(isVenueId, 'must be 2 to 32 lower-case letters or digits');

export const instrumentId = z.strictObject({
  symbol: z.string().max(32).refine(isSymbolId, 'must be a venue symbol such as "BTC-USD" (upper case)'),
  venue,
});

export interface DecimalRules {
  /** Default: strictly positive. */
  readonly sign?: 'positive' | 'non-negative' | 'any';
}

/** A ninja.v1.Decimal: the strict decimal grammar, at most 18 decimals, and a sign rule. */
export function decimal(rules: DecimalRules = {}): z.ZodType<{ value: string }> {
  const sign = rules.sign ?? 'positive';
  return z.strictObject({
    value: z
      .string()
      .max(64)
      .superRefine((value, ctx) => {
        const syntax = decimalSyntaxError(value);
        if (syntax !== undefined) {
          ctx.addIssue({ code: 'custom', message: `not a decimal: ${syntax}` });
          return;
        }
        const parsed = FixedDecimal.parse(value);
        if (sign === 'positive' && !parsed.isPositive())
          ctx.addIssue({ code: 'custom', message: 'must be positive' });
        if (sign === 'non-negative' && parsed.sign() < 0)
          ctx.addIssue({ code: 'custom', message: 'must not be negative' });
      }),
  });
}

/** A proto enum by name; UNSPECIFIED and UNRECOGNIZED (an unknown number on the wire) are refused. */
export function enumName<const T extends readonly [string, ...string[]]>(
  names: T,
): z.ZodEnum<{ [K in T[number]]: K }> {
  return z.enum(names, { message: `must be one of ${names.join(', ')}` });
}

/** An RFC 3339 timestamp as ts-proto writes it. */
export const timestamp = z
  .string()
  .max(40)
  .refine((value) => Number.isFinite(Date.parse(value)), 'must be an RFC 3339 timestamp');

export function boundedString(max: number): z.ZodString {
  return z.string().max(max, `must be at most ${max} characters`);
}
