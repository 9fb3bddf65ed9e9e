import { parseEnumValue } from './enum-value.ts';

/** Whether a fill added liquidity to the book (MAKER) or took it (TAKER); fees usually differ. */
export const LiquiditySide = {
  MAKER: 'MAKER',
  TAKER: 'TAKER',
} as const;
export type LiquiditySide = (typeof LiquiditySide)[keyof typeof LiquiditySide];

export function isLiquiditySide(value: unknown): value is LiquiditySide {
  return typeof value === 'string' && Object.hasOwn(LiquiditySide, value);
}

/** Validates a liquidity side; throws `InvalidArgumentError` naming `field` when it is not one. */
export function parseLiquiditySide(text: unknown, field = 'liquidity'): LiquiditySide {
  return parseEnumValue(LiquiditySide, text, field);
}
