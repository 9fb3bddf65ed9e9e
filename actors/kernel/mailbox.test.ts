import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { MailboxBound, MessageQueue, validateMailbox } from './mailbox.ts';

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

describe('MessageQueue', () => {
  it('gives its items back oldest first, through emptyings and refills', () => {
    const queue = new MessageQueue();
    const out: unknown[] = [];
    for (let round = 0; round < 3; round++) {
      queue.push(`${round}a`);
      queue.push(`${round}b`);
      out.push(queue.shift());
      queue.push(`${round}c`);
      while (queue.length > 0) out.push(queue.shift());
    }
    expect(out).toEqual(['0a', '0b', '0c', '1a', '1b', '1c', '2a', '2b', '2c']);
    expect(queue.length).toBe(0);
  });

  it('keeps order across its compaction of a long-moved head, and takeAll empties it', () => {
    const queue = new MessageQueue();
    for (let i = 0; i < 3000; i++) queue.push(i);
    for (let i = 0; i < 2000; i++) expect(queue.shift()).toBe(i);
    for (let i = 3000; i < 3010; i++) queue.push(i);
    expect(queue.length).toBe(1010);
    expect(queue.shift()).toBe(2000);
    const rest = queue.takeAll();
    expect(rest).toHaveLength(1009);
    expect(rest[0]).toBe(2001);
    expect(rest.at(-1)).toBe(3009);
    expect(queue.length).toBe(0);
    queue.push('x');
    expect(queue.shift()).toBe('x');
  });
});
