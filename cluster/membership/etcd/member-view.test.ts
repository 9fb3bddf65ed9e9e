import { describe, expect, it } from 'vitest';
import type { Member } from '../member.ts';
import { MemberView } from './member-view.ts';

const member = (nodeId: string, state: Member['state'] = 'up'): Member => ({
  nodeId,
  address: 'h:1',
  roles: ['trading'],
  version: '1',
  state,
  startedAt: 1,
});

describe('MemberView', () => {
  it('applies changes in revision order and ignores stale ones', () => {
    const view = new MemberView();
    expect(view.put(member('a'), 5n)).toMatchObject({ type: 'member-joined' });
    expect(view.put(member('a', 'draining'), 4n)).toBeUndefined();
    expect(view.put(member('a', 'leaving'), 6n)).toMatchObject({ type: 'member-updated' });
    expect(view.delete('a', 7n)).toMatchObject({ type: 'member-left', reason: 'left' });
    expect(view.put(member('b'), 8n)).toMatchObject({ type: 'member-joined' });
    expect(view.delete('b', 9n)).toMatchObject({ type: 'member-left', reason: 'expired' });
  });

  it('re-syncs from a snapshot, announcing only the differences', () => {
    const view = new MemberView();
    view.put(member('a'), 1n);
    view.put(member('b'), 2n);
    const events = view.replace([member('b', 'draining'), member('c')], 10n);
    expect(events.map((event) => event.type).sort()).toEqual([
      'member-joined',
      'member-left',
      'member-updated',
    ]);
    expect(view.members().map((m) => m.nodeId)).toEqual(['b', 'c']);
    expect(view.replace([], 9n)).toEqual([]);
  });
});
