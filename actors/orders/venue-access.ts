import type { VenueId } from '../../domain/index.ts';
import type { VenueConnector, VenueExecutionEvent } from '../../venues/venue-connector.ts';

/**
 * What the order manager needs of one venue: the VenueConnector calls it makes. A connector
 * satisfies it directly (one process); `clusterVenueAccess` satisfies it with requests to the
 * `venue/<venue>` actor wherever it lives.
 */
export type VenueEndpoint = Pick<
  VenueConnector,
  | 'venue'
  | 'capabilities'
  | 'instruments'
  | 'placeOrder'
  | 'cancelOrder'
  | 'getOrder'
  | 'openOrders'
  | 'orderFills'
> & {
  /**
   * Streams the venue's execution events. A connector calls `listener`; over the cluster the
   * venue actor sends them to `subscriber` (an identity) as `venue-execution` messages instead.
   */
  onExecution(listener: (event: VenueExecutionEvent) => void, subscriber: string): () => void;
};

/** How an order manager reaches venues, by venue id. */
export interface VenueAccess {
  /** The venue, or undefined when this node does not trade on it. */
  venue(id: VenueId): VenueEndpoint | undefined;
  /** Every venue the account trades on (reconciliation visits each). */
  venues(): readonly VenueId[];
}

/** Venue access straight to connectors (one process). */
export function connectorVenueAccess(endpoints: readonly VenueEndpoint[]): VenueAccess {
  const byId = new Map<VenueId, VenueEndpoint>(endpoints.map((e) => [e.venue, e]));
  return {
    venue: (id) => byId.get(id),
    venues: () => [...byId.keys()],
  };
}
