import type { VenueId } from '../../domain/index.ts';
import type { VenueConnector } from '../../venues/venue-connector.ts';

/**
 * What the order manager needs of one venue: the VenueConnector calls it makes. Today a connector
 * satisfies it directly; the `venue/<venue>` actor can satisfy it later with requests, unchanged
 * for the order manager.
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
  | 'onExecution'
>;

/** How an order manager reaches venues, by venue id. */
export interface VenueAccess {
  /** The venue, or undefined when this node does not trade on it. */
  venue(id: VenueId): VenueEndpoint | undefined;
  /** Every venue the account trades on (reconciliation visits each). */
  venues(): readonly VenueId[];
}

/** Venue access straight to connectors (one process); the seam for the venue actor later. */
export function connectorVenueAccess(endpoints: readonly VenueEndpoint[]): VenueAccess {
  const byId = new Map<VenueId, VenueEndpoint>(endpoints.map((e) => [e.venue, e]));
  return {
    venue: (id) => byId.get(id),
    venues: () => [...byId.keys()],
  };
}
