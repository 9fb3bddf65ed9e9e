import { describe, expect, it } from 'vitest';
import { TransactionLog } from './transaction-log.ts';

describe('OANDA simulator transaction log', () => {
  it('numbers transactions from 1 and answers since an id while the transactions after it are kept', () => {
    const log = new TransactionLog({ accountID: 'a' }, 2_000);
    for (let i = 0; i < 5_000; i++) log.append('DAILY_FINANCING', {}, 't');
    expect(log.lastId).toBe('5000');
    expect(log.nextId).toBe('5001');
    // At least the newest 2,000 are kept; older ones go in chunks.
    const recent = log.since(3_000, undefined);
    expect(recent?.map((t) => t.id)).toEqual(Array.from({ length: 2_000 }, (_, i) => String(3_001 + i)));
    expect(log.since(4_998, new Set(['DAILY_FINANCING']))?.map((t) => t.id)).toEqual(['4999', '5000']);
    expect(log.since(5_000, undefined)).toEqual([]);
    // A reader that fell behind the window is told, not given part of the answer.
    expect(log.since(0, undefined)).toBeUndefined();
  });

  it('drops in chunks of at most an eighth of a small window, so it holds little beyond it', () => {
    const log = new TransactionLog({ accountID: 'a' }, 16);
    for (let i = 0; i < 1_000; i++) log.append('DAILY_FINANCING', {}, 't');
    expect(log.since(1_000 - 16, undefined)).toHaveLength(16);
    // A chunk of 1,024 would still hold these; two at a time (16 / 8) does not.
    expect(log.since(1_000 - 19, undefined)).toBeUndefined();
    expect(() => new TransactionLog({ accountID: 'a' }, 0)).toThrow(RangeError);
  });
});
