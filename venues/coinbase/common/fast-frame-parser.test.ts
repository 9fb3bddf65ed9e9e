import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fastParseMessage } from './fast-frame-parser.ts';
import { parseValidated } from './parse-messages.ts';

const FRAMES = new URL(
  '../../../../shared/data/coinbase-advanced-trade-ws-excerpt-2026-09-30.ndjson',
  import.meta.url,
);
const recorded = readFileSync(FRAMES, 'utf8')
  .split('\n')
  .filter((l) => l.length > 0);

describe('fastParseMessage', () => {
  it('gives exactly what the validating parser gives for the recorded l2_data and market_trades frames', () => {
    const market = recorded.filter((l) => l.includes('"l2_data"') || l.includes('"market_trades"'));
    expect(market.length).toBe(3);
    for (const line of market) expect(fastParseMessage(line)).toEqual(parseValidated(line));
  });

  it('leaves other channels and other layouts to the validating parser', () => {
    for (const line of recorded.filter((l) => !l.includes('"l2_data"') && !l.includes('"market_trades"'))) {
      expect(fastParseMessage(line)).toBeUndefined();
    }
    const spaced = (recorded[1] as string).replace('"events":[', '"events": [');
    expect(fastParseMessage(spaced)).toBeUndefined();
    expect(parseValidated(spaced)).toEqual(parseValidated(recorded[1] as string));
  });

  it('refuses what the validating parser refuses: exponents, unknown sides', () => {
    const l2 = recorded[1] as string;
    // An impossible date is never read by the fast path (the validating parser then decides).
    expect(
      fastParseMessage(l2.replace('2026-09-30T02:39:59.566460558Z', '2026-02-30T02:39:59.566460558Z')),
    ).toBeUndefined();
    for (const bad of [
      l2.replace('"2667.15"', '"2.66715e3"'),
      l2.replace('"side":"offer"', '"side":"ask"'),
    ]) {
      expect(fastParseMessage(bad)).toBeUndefined();
      expect(() => parseValidated(bad)).toThrow();
    }
  });

  it('reads times across minute boundaries and leap days', () => {
    const l2 = recorded[1] as string;
    for (const t of ['2024-02-29T23:59:59.999Z', '2026-12-31T00:00:00Z', '2027-01-01T00:00:00.5Z']) {
      const line = l2.replace('2026-09-30T02:39:59.566460558Z', t);
      const fast = fastParseMessage(line);
      expect(fast?.channel === 'l2_data' && fast.timestamp).toBe(Date.parse(t));
    }
  });
});
