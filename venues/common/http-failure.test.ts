import { describe, expect, it } from 'vitest';
import { HttpFailure, classifyHttpFailure } from './http-failure.ts';

describe('classifyHttpFailure', () => {
  it('maps each status class once for every venue', () => {
    const cases: Array<[number, boolean, HttpFailure]> = [
      [429, true, HttpFailure.RATE_LIMITED],
      [503, true, HttpFailure.UNKNOWN_OUTCOME],
      [500, false, HttpFailure.UNAVAILABLE],
      [401, false, HttpFailure.UNAUTHENTICATED],
      [403, true, HttpFailure.PERMISSION_DENIED],
      [405, true, HttpFailure.PERMISSION_DENIED],
      [404, false, HttpFailure.NOT_FOUND],
      [400, true, HttpFailure.REJECTED],
      [409, true, HttpFailure.OTHER],
    ];
    for (const [status, write, want] of cases)
      expect([status, write, classifyHttpFailure(status, write)]).toEqual([status, write, want]);
  });
});
