import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../observability/index.ts';
import { MetricsRegistry } from '../../../observability/index.ts';
import { clusterMetrics } from '../../metrics.ts';
import type { MembershipEvent } from '../membership-provider.ts';
import { StaticMembershipProvider } from './static-membership-provider.ts';

describe('StaticMembershipProvider', () => {
  it('is a one-node cluster: joins, updates state, leaves', async () => {
    const registry = new MetricsRegistry();
    const provider = new StaticMembershipProvider({
      logger: createLogger({ level: 'silent' }),
      metrics: clusterMetrics(registry),
      now: () => 42,
    });
    const events: MembershipEvent[] = [];
    provider.subscribe((event) => events.push(event));
    expect(provider.health).toBe('stopped');
    await provider.start({
      nodeId: 'solo',
      address: '127.0.0.1:7000',
      roles: ['trading', 'venue'],
      version: '0.1.0',
    });
    expect(provider.health).toBe('healthy');
    expect(provider.members()).toEqual([
      {
        nodeId: 'solo',
        address: '127.0.0.1:7000',
        roles: ['trading', 'venue'],
        version: '0.1.0',
        state: 'up',
        startedAt: 42,
      },
    ]);
    expect(provider.lastKeepaliveAt).toBeUndefined();
    await provider.setState('draining');
    await provider.stop();
    expect(provider.members()).toEqual([]);
    expect(events.map((event) => event.type)).toEqual(['member-joined', 'member-updated', 'member-left']);
    expect((await registry.expose()).body).toContain(
      'ninja_cluster_membership_changes_total{type="joined"} 1',
    );
  });

  it('rejects invalid member info and a second start', async () => {
    const provider = new StaticMembershipProvider({ logger: createLogger({ level: 'silent' }) });
    await expect(
      provider.start({ nodeId: 'bad id', address: 'h:1', roles: ['trading'], version: '1' }),
    ).rejects.toThrow(/member.nodeId/);
    await provider.start({ nodeId: 'ok', address: 'h:1', roles: ['trading'], version: '1' });
    await expect(
      provider.start({ nodeId: 'ok', address: 'h:1', roles: ['trading'], version: '1' }),
    ).rejects.toThrow(/already started/);
  });
});
