import { fastParsePricingLine } from './fast-price-parser.ts';
import { parsePricingLineText } from './parse-price.ts';
import type { OandaPricingLine } from './price-line.ts';

/** One pricing-stream line → domain line: the fast path, else the validating parser (which throws). */
export function parsePricingLine(text: string): OandaPricingLine {
  return fastParsePricingLine(text) ?? parsePricingLineText(text);
}
