import type { ClusterNode } from '../../cluster/index.ts';
import { ActorKind, defaultKindRegistry, jsonMessageCodec } from '../../cluster/index.ts';
import type { MetricsRegistry } from '../../observability/index.ts';
import { bookActor } from '../book/book-actor.ts';
import type { BookActorDeps } from '../book/book-actor.ts';
import { BOOK_COMMAND_TYPES } from '../book/book-messages.ts';
import type { BookCommand } from '../book/book-messages.ts';
import { venueActor } from './venue-actor.ts';
import type { VenueActorDeps } from './venue-actor.ts';
import type { VenueConnectors } from './venue-connectors.ts';
import { VENUE_COMMAND_TYPES } from './venue-messages.ts';
import type { VenueCommand } from './venue-messages.ts';

export interface VenueKindsOptions {
  /** The venues this node connects to (see VenueConnectors). Nodes without role `venue` may pass none. */
  readonly connectors: VenueConnectors;
  /** The node's registry (the same one its /metrics serves). */
  readonly metrics: MetricsRegistry;
  readonly circuit?: VenueActorDeps['circuit'];
  readonly reconnect?: VenueActorDeps['reconnect'];
  readonly maxInFlight?: number;
  readonly resubscribeEveryMs?: BookActorDeps['resubscribeEveryMs'];
}

/**
 * Registers `venue/<venue>` and `book/<venue>/<symbol>` on a node (before `start`), and releases an
 * activation's connector and timers when the node passivates it (moved, drained, fenced, stopped).
 * Register on every node so any node can address them; only nodes with role `venue` host them.
 */
export function registerVenueKinds(node: ClusterNode, options: VenueKindsOptions): void {
  const kinds = defaultKindRegistry();
  const send = (identity: string, message: unknown): void => node.send(identity, message);
  const venue = venueActor({
    connectors: options.connectors,
    send,
    metrics: options.metrics,
    ...(options.circuit === undefined ? {} : { circuit: options.circuit }),
    ...(options.reconnect === undefined ? {} : { reconnect: options.reconnect }),
    ...(options.maxInFlight === undefined ? {} : { maxInFlight: options.maxInFlight }),
  });
  const book = bookActor({
    send,
    metrics: options.metrics,
    ...(options.resubscribeEveryMs === undefined ? {} : { resubscribeEveryMs: options.resubscribeEveryMs }),
  });
  node.register({
    kind: kinds.require(ActorKind.venue),
    actor: venue.definition,
    codec: jsonMessageCodec<VenueCommand>({ types: VENUE_COMMAND_TYPES }),
  });
  node.register({
    kind: kinds.require(ActorKind.book),
    actor: book.definition,
    codec: jsonMessageCodec<BookCommand>({ types: BOOK_COMMAND_TYPES }),
  });
  node.onActivation((activation, passivated) => {
    if (passivated === undefined) return;
    const { kind, text } = activation.identity;
    if (kind === ActorKind.venue) void venue.release(text);
    else if (kind === ActorKind.book) book.release(text);
  });
}
