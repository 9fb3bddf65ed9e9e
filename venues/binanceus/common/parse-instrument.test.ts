import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseExchangeInfo } from './parse-exchange-info.ts';
import { toInstrument } from './parse-instrument.ts';

const body: unknown = JSON.parse(
  readFileSync(
    new URL('../../../../shared/data/binanceus-exchange-info-2021-10-12.json', import.meta.url),
    'utf8',
  ),
);

describe('Binance.US exchange info → instruments', () => {
  const info = parseExchangeInfo(body);

  it('reads every recorded symbol with exact filters and rate limits', () => {
    expect(info.symbols).toHaveLength(121);
    expect(info.rateLimits.find((r) => r.rateLimitType === 'REQUEST_WEIGHT')?.limit).toBe(1200);
    const btc = info.symbols.find((s) => s.symbol === 'BTCUSD');
    expect(btc?.tickSize?.toString()).toBe('0.0100');
    expect(btc?.stepSize?.toString()).toBe('0.00000100');
    expect(btc?.minNotional?.toString()).toBe('10.0000');
    expect(btc?.minNotionalAppliesToMarket).toBe(true);
  });

  it('builds a domain Instrument for every recorded symbol', () => {
    const instruments = info.symbols.map(toInstrument);
    const btc = instruments.find((i) => i.symbol === 'BTCUSD');
    expect(btc?.id).toContain('BTCUSD');
    expect(btc?.minNotional.currency).toBe('USD');
    expect(btc?.minNotional.toString()).toBe('10.0000');
    expect(btc?.maxPrice?.toString()).toBe('100000.0000');
  });
});
