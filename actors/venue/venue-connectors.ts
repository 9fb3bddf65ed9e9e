import { FailedPreconditionError } from '../../domain/errors.ts';
import { parseVenueId } from '../../domain/index.ts';
import type { VenueId } from '../../domain/index.ts';
import type { VenueConnector } from '../../venues/venue-connector.ts';

/** Makes a fresh, not yet started connector (a venue actor makes a new one for each connection attempt). */
export type VenueConnectorFactory = () => VenueConnector;

/**
 * The venues a node with role `venue` connects to, each with the factory of its connector. Given to
 * the venue kind at node start; every venue node should carry the same venues, since placement may
 * give any of them any `venue/<venue>` identity.
 */
export class VenueConnectors {
  readonly #factories: ReadonlyMap<VenueId, VenueConnectorFactory>;

  constructor(factories: Readonly<Record<string, VenueConnectorFactory>>) {
    this.#factories = new Map(
      Object.entries(factories).map(([venue, factory]) => [parseVenueId(venue, 'venues'), factory]),
    );
  }

  venues(): readonly VenueId[] {
    return [...this.#factories.keys()];
  }

  has(venue: string): boolean {
    return this.#factories.has(venue as VenueId);
  }

  /** A new connector for `venue`; FailedPreconditionError when this node is not configured for it. */
  create(venue: VenueId): VenueConnector {
    const factory = this.#factories.get(venue);
    if (factory === undefined) {
      throw new FailedPreconditionError(
        `this node has no connector for venue ${venue}; configured: ${this.venues().join(', ') || 'none'}`,
      );
    }
    return factory();
  }
}
