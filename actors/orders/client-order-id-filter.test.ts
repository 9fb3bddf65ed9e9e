import { describe, expect, it } from 'vitest';
import { ClientOrderIdFilter } from './client-order-id-filter.ts';

describe('ClientOrderIdFilter', () => {
  it('never misses an added id, across layer growth', () => {
    const filter = new ClientOrderIdFilter(64);
    const ids = Array.from({ length: 20_000 }, (_, i) => `mm-BTC-USD-${i}`);
    for (const id of ids) filter.add(id);
    expect(filter.size).toBe(ids.length);
    for (const id of ids) expect(filter.mightContain(id)).toBe(true);
  });

  it('says maybe for ids never added at most about 1% of the time', () => {
    const filter = new ClientOrderIdFilter(1_024);
    for (let i = 0; i < 50_000; i += 1) filter.add(`order-${i}`);
    let maybes = 0;
    const probes = 50_000;
    for (let i = 0; i < probes; i += 1) if (filter.mightContain(`other-${i}`)) maybes += 1;
    // Bound by design: below 2 × 0.2 % over all layers.
    expect(maybes / probes).toBeLessThan(0.01);
    // About 15 bits per id of capacity, and the newest layer may be nearly empty: under 4 bytes per id.
    expect(filter.bytes).toBeLessThan(50_000 * 4);
  });

  it('is empty when new', () => {
    expect(new ClientOrderIdFilter().mightContain('a')).toBe(false);
  });
});
