import type { NinjaError } from '../../domain/errors.ts';
import type { Logger } from '../../observability/index.ts';
import type { Envelope } from '../../proto/index.ts';
import { parseIdentity } from '../identity.ts';
import type { Identity } from '../identity.ts';
import type { Member } from '../membership/member.ts';
import type { ClusterNodeMetrics } from './cluster-node-metrics.ts';

export interface RerouterOptions {
  readonly nodeId: string;
  /** How long a handed-back message may wait for its identity's owner to change or come back. */
  readonly windowMs: number;
  readonly ownerOf: (id: Identity) => Member | undefined;
  readonly isReachable: (nodeId: string) => boolean;
  readonly deliverLocal: (envelope: Envelope, id: Identity) => void;
  readonly sendRemote: (nodeId: string, envelope: Envelope) => void;
  readonly logger: Logger;
  readonly metrics: ClusterNodeMetrics;
}

interface Parked {
  readonly envelope: Envelope;
  readonly id: Identity;
  /** The owner when the message came back: it is re-sent there only once that peer is reachable again. */
  readonly bouncedFrom: string | undefined;
  readonly until: number;
}

const RETRY_MS = 100;

/**
 * Messages that a lost peer handed back are re-routed to their identity's new owner (once the
 * membership says who that is) or, past the window or their deadline, logged and counted as failed:
 * never dropped silently. Requests are not parked: their callers get UNAVAILABLE at once.
 */
export class Rerouter {
  private parked: Parked[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: RerouterOptions) {}

  handBack(envelope: Envelope, reason: NinjaError): void {
    let id: Identity;
    try {
      id = parseIdentity(envelope.target);
    } catch (error) {
      this.fail(envelope, 'its target is not an identity', error);
      return;
    }
    const now = Date.now();
    const deadline =
      envelope.deadlineUnixMs > 0n ? Number(envelope.deadlineUnixMs) : Number.POSITIVE_INFINITY;
    this.options.logger.debug(
      { err: reason, identity: id.text, correlationId: envelope.correlationId },
      'message handed back by a lost peer; re-routing',
    );
    this.parked.push({
      envelope,
      id,
      bouncedFrom: this.options.ownerOf(id)?.nodeId,
      until: Math.min(deadline, now + this.options.windowMs),
    });
    this.schedule();
  }

  /** Tries every parked message now (after a membership change). */
  retryNow(): void {
    if (this.parked.length > 0) this.attempt();
  }

  /** Fails whatever is still parked. */
  close(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    for (const item of this.parked) this.fail(item.envelope, 'the node is stopping', undefined);
    this.parked = [];
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.attempt();
    }, RETRY_MS);
  }

  private attempt(): void {
    const now = Date.now();
    const waiting: Parked[] = [];
    for (const item of this.parked) {
      const owner = this.options.ownerOf(item.id);
      const ready =
        owner !== undefined &&
        (owner.nodeId === this.options.nodeId ||
          owner.nodeId !== item.bouncedFrom ||
          this.options.isReachable(owner.nodeId));
      if (owner !== undefined && ready) {
        try {
          if (owner.nodeId === this.options.nodeId) this.options.deliverLocal(item.envelope, item.id);
          else this.options.sendRemote(owner.nodeId, item.envelope);
          this.options.metrics.reroutes.inc({ outcome: 'rerouted' });
        } catch (error) {
          this.fail(item.envelope, `re-routing to ${owner.nodeId} failed`, error);
        }
        continue;
      }
      if (now >= item.until) {
        this.fail(item.envelope, 'no reachable owner within the re-route window', undefined);
        continue;
      }
      waiting.push(item);
    }
    this.parked = waiting;
    if (waiting.length > 0) this.schedule();
  }

  private fail(envelope: Envelope, why: string, error: unknown): void {
    this.options.metrics.reroutes.inc({ outcome: 'failed' });
    this.options.logger.warn(
      { err: error, target: envelope.target, type: envelope.type, correlationId: envelope.correlationId },
      `message lost: ${why} (UNAVAILABLE)`,
    );
  }
}
