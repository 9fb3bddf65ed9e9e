// A stopping node passivates its actors stage by stage (KindDefinition.stopStage): what an actor of
// an early stage sends while it stops (an order manager's last fill) reaches an actor of a later
// stage (the portfolio) on the same node, although the node has already announced `draining` and
// placement names no owner for it any more.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { defineActor } from '../../../actors/kernel/index.ts';
import { jsonMessageCodec } from '../../../cluster/index.ts';
import type { ClusterKind, ClusterNode } from '../../../cluster/index.ts';
import { MigrationRunner } from '../../../persistence/index.ts';
import { createTestDatabase, testLogger } from '../../support/index.ts';
import type { TestDatabase } from '../../support/index.ts';
import { eventually, startTestClusterNode, tempDir, uniqueClusterName } from './cluster-node-harness.ts';

type Note = { readonly type: 'note'; readonly from: string };
type Poke = { readonly type: 'poke' };

const PRODUCER = 'test-stage-producer';
const SINK = 'test-stage-sink';
/** What the sinks received, with whether their own passivation had begun (it must not have). */
const received: { readonly from: string; readonly sinkStopping: boolean }[] = [];
let sinkStopping = false;
let node: ClusterNode | undefined;

const sinkKind: ClusterKind<number, Note> = {
  kind: { name: SINK, roles: ['trading'], keySegments: 1, description: 'records notes', stopStage: 1 },
  actor: defineActor<number, Note>({
    kind: SINK,
    initialState: () => 0,
    receive: (count, note) => {
      received.push({ from: note.from, sinkStopping });
      return count + 1;
    },
    passivate: () => {
      sinkStopping = true;
    },
  }),
  codec: jsonMessageCodec<Note>({ types: ['note'] }),
};

const producerKind: ClusterKind<number, Poke> = {
  kind: { name: PRODUCER, roles: ['trading'], keySegments: 1, description: 'notes on stop', stopStage: 0 },
  actor: defineActor<number, Poke>({
    kind: PRODUCER,
    initialState: () => 0,
    receive: (count) => count + 1,
    passivate: (_state, ctx) => {
      // As an order manager's last fill: sent while stopping, to an actor of a later stage.
      node?.send(`${SINK}/one`, { type: 'note', from: ctx.identity });
    },
  }),
  codec: jsonMessageCodec<Poke>({ types: ['poke'] }),
};

describe('staged stop', () => {
  let database: TestDatabase;
  let certs: { dir: string; remove: () => Promise<void> };

  beforeAll(async () => {
    database = await createTestDatabase({ poolMax: 4 });
    await new MigrationRunner({ database: database.pool, logger: testLogger('migrations') }).up();
    certs = await tempDir('gekko-staged-stop-');
  });

  afterAll(async () => {
    await node?.stop();
    await database.drop();
    await certs.remove();
  });

  it.each(['etcd', 'static'] as const)(
    'delivers what an early stage sends while stopping to a later stage still running (%s membership)',
    async (membership) => {
      received.length = 0;
      sinkStopping = false;
      node = await startTestClusterNode({
        membership,
        nodeId: `staged-${membership}`,
        roles: ['trading'],
        endpoints: inject('etcdEndpoints'),
        clusterName: uniqueClusterName(),
        certDir: certs.dir,
        pool: database.pool,
        spans: [],
        extraKinds: [
          producerKind as ClusterKind<unknown, unknown>,
          sinkKind as ClusterKind<unknown, unknown>,
        ],
      });
      const producers = ['a', 'b', 'c'];
      const active = new Set<string>();
      node.onActivation((activation, passivated) => {
        if (passivated === undefined) active.add(activation.identity.text);
      });
      for (const key of producers) node.send(`${PRODUCER}/${key}`, { type: 'poke' });
      node.send(`${SINK}/one`, { type: 'note', from: 'warm-up' });
      await eventually(() => active.size === producers.length + 1, 10_000, 'every actor active');
      await node.stop();
      const notes = received.filter((r) => r.from !== 'warm-up');
      expect(notes.map((n) => n.from).sort()).toEqual(producers.map((key) => `${PRODUCER}/${key}`).sort());
      expect(notes.every((n) => !n.sinkStopping)).toBe(true);
    },
    60_000,
  );
});
