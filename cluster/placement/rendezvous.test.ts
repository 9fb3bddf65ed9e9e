import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultKindRegistry, NodeRole } from '../kinds.ts';
import type { Member } from '../membership/member.ts';
import { RendezvousPlacement, rendezvousOwner, rendezvousRanking } from './rendezvous.ts';

function member(nodeId: string, overrides: Partial<Member> = {}): Member {
  return {
    nodeId,
    address: `127.0.0.1:${nodeId.length}`,
    roles: [NodeRole.trading],
    version: '1',
    state: 'up',
    startedAt: 0,
    ...overrides,
  };
}

const ids = (count: number, prefix = 'orders/'): string[] =>
  Array.from({ length: count }, (_, index) => `${prefix}${String(index)}`);

describe('rendezvous placement', () => {
  it('moves only the removed member identities (minimal disruption)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-z0-9-]{1,12}$/), { minLength: 2, maxLength: 9 }),
        fc.nat(),
        (nodeIds, pick) => {
          const members = nodeIds.map((nodeId) => member(nodeId));
          const removed = members[pick % members.length];
          if (removed === undefined) return;
          const remaining = members.filter((candidate) => candidate !== removed);
          for (const id of ids(300)) {
            const before = rendezvousOwner(id, members);
            const after = rendezvousOwner(id, remaining);
            if (before !== removed) expect(after).toBe(before);
            // ...and the removed member's identities go to their second choice.
            else expect(after).toBe(rendezvousRanking(id, members)[1]);
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it.each([
    [300, 3, 0.25],
    [10_000, 3, 0.05],
    [10_000, 7, 0.1],
  ])('balances %i identities over %i members within %f of the mean', (count, size, tolerance) => {
    const members = Array.from({ length: size }, (_, index) => member(`node-${String(index + 1)}`));
    const counts = new Map<string, number>();
    for (const id of ids(count)) {
      const owner = rendezvousOwner(id, members);
      if (owner === undefined) throw new Error('no owner');
      counts.set(owner.nodeId, (counts.get(owner.nodeId) ?? 0) + 1);
    }
    const mean = count / size;
    expect(counts.size).toBe(size);
    for (const value of counts.values()) expect(Math.abs(value - mean) / mean).toBeLessThan(tolerance);
  });

  it('places only on up members having the kind role', () => {
    const placement = new RendezvousPlacement(defaultKindRegistry());
    const kinds = defaultKindRegistry();
    const members = [
      member('venue-1', { roles: [NodeRole.venue] }),
      member('trading-1'),
      member('trading-2', { state: 'draining' }),
      member('trading-3', { state: 'joining' }),
    ];
    for (const id of ids(50)) expect(placement.ownerOf(kinds.parse(id), members)?.nodeId).toBe('trading-1');
    expect(placement.ownerOf(kinds.parse('venue/binanceus'), members)?.nodeId).toBe('venue-1');
    expect(placement.ownerOf(kinds.parse('principal/u1'), members)).toBeUndefined();
    expect(() => placement.ownerOf({ kind: 'nosuch', key: 'x', text: 'nosuch/x' }, members)).toThrow(
      /unknown kind/,
    );
  });

  it('is deterministic across processes', () => {
    const members = ['alpha', 'bravo', 'charlie', 'delta'].map((nodeId) => member(nodeId));
    const here = ids(200).map((id) => rendezvousOwner(id, members)?.nodeId);
    const module = fileURLToPath(new URL('./rendezvous.ts', import.meta.url));
    const script = `
      const { rendezvousOwner } = await import(${JSON.stringify(module)});
      const members = ['delta', 'charlie', 'bravo', 'alpha'].map((nodeId) => ({ nodeId }));
      const ids = Array.from({ length: 200 }, (_, i) => 'orders/' + i);
      process.stdout.write(JSON.stringify(ids.map((id) => rendezvousOwner(id, members).nodeId)));
    `;
    const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(JSON.parse(output)).toEqual(here);
    // Pinned owners: a change of hash or score is a change of placement for every running cluster.
    expect(here.slice(0, 8)).toMatchInlineSnapshot(`
      [
        "charlie",
        "charlie",
        "bravo",
        "bravo",
        "charlie",
        "charlie",
        "bravo",
        "alpha",
      ]
    `);
  });
});
