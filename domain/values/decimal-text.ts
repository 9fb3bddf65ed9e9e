/**
 * Decimal text for people: venues pad prices and quantities with zeros to a fixed precision
 * (Binance.US `30183.93000000`), and exact arithmetic keeps every decimal it was given. These show
 * the same exact value with fewer zeros; they never round. Display only: APIs and `--json` answer
 * the text unchanged.
 */

const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;

/** Decimals of a decimal text without its trailing zeros; 0 for a whole number or a text that is no decimal. */
export function significantDecimals(text: string): number {
  if (!DECIMAL_TEXT.test(text)) return 0;
  const dot = text.indexOf('.');
  if (dot < 0) return 0;
  let end = text.length;
  while (end > dot + 1 && text[end - 1] === '0') end -= 1;
  return end - dot - 1;
}

/**
 * The text with at least `minDecimals` decimals and no trailing zeros beyond them (`30183.93000000`
 * → `30183.93`, `2.000` → `2`, `30183` with 2 → `30183.00`); a text that is no decimal unchanged.
 */
export function shownDecimal(text: string, minDecimals = 0): string {
  if (!DECIMAL_TEXT.test(text)) return text;
  const dot = text.indexOf('.');
  const whole = dot < 0 ? text : text.slice(0, dot);
  const fraction =
    dot < 0 ? '' : text.slice(dot + 1, dot + 1 + Math.max(minDecimals, significantDecimals(text)));
  return minDecimals === 0 && fraction === '' ? whole : `${whole}.${fraction.padEnd(minDecimals, '0')}`;
}
