import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { MailboxBound, validateMailbox } from './mailbox.ts';

describe('MailboxBound', () => {
  it('admits up to its capacity and frees a slot on release', () => {
    const bound = new MailboxBound(2);
    expect([bound.admit(), bound.admit(), bound.admit()]).toEqual([true, true, false]);
    bound.release();
    expect(bound.admit()).toBe(true);
    expect(bound.depth).toBe(2);
  });

  it('never goes below zero', () => {
    const bound = new MailboxBound(1);
    bound.release();
    expect(bound.depth).toBe(0);
  });

  it('rejects a capacity below 1', () => {
    expect(() => validateMailbox({ capacity: 0 })).toThrow(InvalidArgumentError);
  });
});
