import { describe, expect, it } from 'vitest';
import { UnavailableError } from '../../domain/errors.ts';
import { MetricsRegistry, createLogger } from '../../observability/index.ts';
import { EnvelopeKind } from '../../proto/index.ts';
import type { Envelope } from '../../proto/index.ts';
import type { Member } from '../membership/member.ts';
import { clusterNodeMetrics } from './cluster-node-metrics.ts';
import { Rerouter } from './rerouter.ts';

function member(nodeId: string): Member {
  return { nodeId, address: '127.0.0.1:1', roles: ['trading'], version: 't', state: 'up', startedAt: 0 };
}

function envelope(target: string): Envelope {
  return {
    target,
    sender: 'n1',
    type: 'add',
    payload: Buffer.from('{}'),
    correlationId: 'c-1',
    traceId: '',
    deadlineUnixMs: 0n,
    kind: EnvelopeKind.ENVELOPE_KIND_MESSAGE,
    error: undefined,
  };
}

function harness(windowMs: number) {
  let owner: Member | undefined = member('dead');
  const sent: string[] = [];
  const local: string[] = [];
  const registry = new MetricsRegistry();
  const rerouter = new Rerouter({
    nodeId: 'self',
    windowMs,
    ownerOf: () => owner,
    isReachable: () => false,
    deliverLocal: (e) => local.push(e.target),
    sendRemote: (nodeId, e) => sent.push(`${nodeId}:${e.target}`),
    logger: createLogger({ level: 'silent', name: 'test' }),
    metrics: clusterNodeMetrics(registry),
  });
  return {
    rerouter,
    sent,
    local,
    registry,
    setOwner: (next: Member | undefined) => {
      owner = next;
    },
  };
}

describe('Rerouter', () => {
  it('holds a handed-back message until the owner changes, then sends it there', () => {
    const h = harness(10_000);
    h.rerouter.handBack(envelope('counter/a'), new UnavailableError('peer lost'));
    h.rerouter.retryNow();
    expect(h.sent).toEqual([]);
    h.setOwner(member('n2'));
    h.rerouter.retryNow();
    expect(h.sent).toEqual(['n2:counter/a']);
    h.rerouter.close();
  });

  it('delivers locally when this node became the owner', () => {
    const h = harness(10_000);
    h.rerouter.handBack(envelope('counter/b'), new UnavailableError('peer lost'));
    h.setOwner(member('self'));
    h.rerouter.retryNow();
    expect(h.local).toEqual(['counter/b']);
  });

  it('counts a message as lost after the window, never dropping it silently', async () => {
    const h = harness(50);
    h.rerouter.handBack(envelope('counter/c'), new UnavailableError('peer lost'));
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(h.sent).toEqual([]);
    expect((await h.registry.expose()).body).toContain('ninja_cluster_reroutes_total{outcome="failed"} 1');
    h.rerouter.close();
  });
});
