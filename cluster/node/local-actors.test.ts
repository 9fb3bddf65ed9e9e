import { describe, expect, it } from 'vitest';
import { createActorSystem, defineActor } from '../../actors/kernel/index.ts';
import { MetricsRegistry, createLogger } from '../../observability/index.ts';
import { identity } from '../identity.ts';
import type { ActivationStore } from './activation-store.ts';
import { clusterNodeMetrics } from './cluster-node-metrics.ts';
import type { ClusterKind } from './cluster-kind.ts';
import { jsonMessageCodec } from './cluster-kind.ts';
import { LocalActors, PassivationReason } from './local-actors.ts';

type Msg = { readonly type: 'noop' };

const counter: ClusterKind<number, Msg> = {
  kind: { name: 'test-counter', roles: ['trading'], keySegments: 1, description: 'test' },
  actor: defineActor<number, Msg>({ kind: 'test-counter', initialState: () => 0, receive: (n) => n + 1 }),
  codec: jsonMessageCodec<Msg>({ types: ['noop'] }),
};

describe('LocalActors', () => {
  it('a fencing announced while an activation is still in its synchronous part waits for it and stops the actor', async () => {
    const logger = createLogger({ level: 'silent', name: 'test' });
    const registry = new MetricsRegistry();
    const system = createActorSystem({ name: 'local-actors-test', logger, metrics: registry });
    const passivations: string[] = [];
    const holder: { locals?: LocalActors } = {};
    const store: ActivationStore = {
      // The node learns it is fenced from inside acquire (its lease deadline passed) and passivates
      // everything at once, this activation included, before acquire has returned.
      acquire: (id) => {
        const fenced = (holder.locals as LocalActors).passivateAll(PassivationReason.fenced, 'fenced');
        passivations.push('fenced');
        void fenced.then(() => passivations.push('passivated'));
        return Promise.resolve({ identity: id, epoch: undefined, activation: undefined });
      },
      release: () => Promise.resolve(),
    };
    const locals = new LocalActors({
      nodeId: 'n1',
      system,
      store,
      kindOf: (kind) => (kind === 'test-counter' ? (counter as ClusterKind<unknown, unknown>) : undefined),
      logger,
      metrics: clusterNodeMetrics(registry),
      passivateTimeoutMs: 1_000,
      onActivated: () => undefined,
      onPassivated: () => undefined,
    });
    holder.locals = locals;
    const id = identity('test-counter', 'a');
    await expect(locals.ensure(id, Date.now() + 5_000, 'c-1')).rejects.toThrow(/passivated while activating/);
    await expect.poll(() => passivations).toEqual(['fenced', 'passivated']);
    expect(locals.size).toBe(0);
    await system.shutdown();
  });
});
