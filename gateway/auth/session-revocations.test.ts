import { describe, expect, it } from 'vitest';
import { UnavailableError } from '../../domain/errors.ts';
import { SessionRevocations } from './session-revocations.ts';

/** A revoked-login list in memory that counts how often it is read. */
function source(initial: string[] = []) {
  const state = { revoked: [...initial], reads: 0, fail: false };
  return {
    state,
    revokedWithin: (): Promise<string[]> => {
      state.reads += 1;
      return state.fail ? Promise.reject(new Error('database down')) : Promise.resolve([...state.revoked]);
    },
  };
}

describe('SessionRevocations', () => {
  it('reads the revoked logins at most once per interval, one read shared by concurrent callers', async () => {
    let nowMs = 1_000_000;
    const list = source(['old']);
    const revocations = new SessionRevocations(list, {
      windowSeconds: 365,
      refreshIntervalMs: 1_000,
      now: () => nowMs,
    });
    expect(await Promise.all([revocations.isRevoked('old'), revocations.isRevoked('s1')])).toEqual([
      true,
      false,
    ]);
    expect(list.state.reads).toBe(1);
    list.state.revoked.push('s1');
    nowMs += 999;
    expect(revocations.isRevoked('s1')).toBe(false);
    nowMs += 1;
    expect(await revocations.isRevoked('s1')).toBe(true);
    expect(list.state.reads).toBe(2);
  });

  it('keeps a login revoked on this node across a reload that does not show it yet', async () => {
    let nowMs = 1_000_000;
    const list = source();
    const revocations = new SessionRevocations(list, {
      windowSeconds: 365,
      refreshIntervalMs: 1_000,
      now: () => nowMs,
    });
    expect(await revocations.isRevoked('s1')).toBe(false);
    revocations.noteRevoked(['s1']);
    expect(revocations.isRevoked('s1')).toBe(true);
    nowMs += 1_000;
    expect(await revocations.isRevoked('s1')).toBe(true);
    // After the window no token of the login can be alive: the note is dropped.
    nowMs += 366_000;
    expect(await revocations.isRevoked('s1')).toBe(false);
  });

  it('answers UNAVAILABLE when the list cannot be read, and reads again on the next call', async () => {
    const list = source();
    list.state.fail = true;
    const revocations = new SessionRevocations(list, { windowSeconds: 365 });
    await expect(revocations.isRevoked('s1')).rejects.toBeInstanceOf(UnavailableError);
    list.state.fail = false;
    expect(await revocations.isRevoked('s1')).toBe(false);
    expect(list.state.reads).toBe(2);
  });
});
