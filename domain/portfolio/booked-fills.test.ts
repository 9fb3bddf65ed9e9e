import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.ts';
import { BookedFills, FillRecall } from './booked-fills.ts';

describe('BookedFills', () => {
  it('remembers at most its capacity of keys however many fills are booked', () => {
    const booked = new BookedFills(100, 0);
    for (let i = 0; i < 10_000; i += 1) booked.add(`t${i}`, i);
    expect(booked.size).toBe(100);
    expect(booked.forgottenUntil).toBe(9_899);
  });

  it('knows a repeat of a remembered fill and a new fill from memory', () => {
    const booked = new BookedFills(3, 0);
    for (let i = 1; i <= 5; i += 1) booked.add(`t${i}`, i * 1_000);
    expect(booked.recall('t5', 5_000)).toBe(FillRecall.BOOKED);
    expect(booked.recall('t3', 3_000)).toBe(FillRecall.BOOKED);
    expect(booked.recall('t6', 6_000)).toBe(FillRecall.NEW);
  });

  it('calls a fill as old as a forgotten one UNKNOWN, a repeat of a forgotten one included', () => {
    const booked = new BookedFills(3, 0);
    for (let i = 1; i <= 5; i += 1) booked.add(`t${i}`, i * 1_000);
    // t1 and t2 were forgotten: their repeats cannot be told from memory, nor can an unseen fill
    // that old.
    expect(booked.recall('t1', 1_000)).toBe(FillRecall.UNKNOWN);
    expect(booked.recall('t2', 2_000)).toBe(FillRecall.UNKNOWN);
    expect(booked.recall('t0', 500)).toBe(FillRecall.UNKNOWN);
    expect(booked.recall('t2b', 2_001)).toBe(FillRecall.NEW);
  });

  it('takes the newest forgotten trade time, whatever order the fills were booked in', () => {
    const booked = new BookedFills(2, 0);
    booked.add('late', 9_000);
    booked.add('early', 1_000);
    booked.add('next', 10_000);
    expect(booked.forgottenUntil).toBe(9_000);
    expect(booked.recall('late', 9_000)).toBe(FillRecall.UNKNOWN);
    expect(booked.recall('other', 5_000)).toBe(FillRecall.UNKNOWN);
  });

  it('widens UNKNOWN by the margin (a repeat whose trade time was read a little later)', () => {
    const booked = new BookedFills(1, 60_000);
    booked.add('t1', 1_000);
    booked.add('t2', 2_000);
    expect(booked.recall('t1', 1_005)).toBe(FillRecall.UNKNOWN);
    expect(booked.recall('t3', 61_000)).toBe(FillRecall.UNKNOWN);
    expect(booked.recall('t3', 61_001)).toBe(FillRecall.NEW);
  });

  it('forgets nothing while under capacity: every unseen fill is new', () => {
    const booked = new BookedFills(10);
    booked.add('t1', 5_000);
    expect(booked.recall('t0', 0)).toBe(FillRecall.NEW);
  });

  it('refuses a capacity below 1 and a negative margin', () => {
    expect(() => new BookedFills(0)).toThrow(InvalidArgumentError);
    expect(() => new BookedFills(10, -1)).toThrow(InvalidArgumentError);
  });
});
