import { describe, expect, it } from 'vitest';
import { nextCorrelationId } from './correlation-id.ts';

describe('nextCorrelationId', () => {
  it('is UUID-shaped and unique', () => {
    const ids = Array.from({ length: 10_000 }, () => nextCorrelationId());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 10)) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });
});
