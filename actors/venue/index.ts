// `venue/<venue>`: one exchange connection (a VenueConnector), its circuit and reconnects, and the
// fan-out of its market data and execution events; the wire form of venue data in actor messages.
export { VENUE_KIND, venueActor } from './venue-actor.ts';
export type { VenueActor, VenueActorDeps, VenueReconnectOptions } from './venue-actor.ts';
export { DEFAULT_VENUE_CIRCUIT, isVenueOutage } from './venue-circuit.ts';
export type { VenueCircuitOptions } from './venue-circuit.ts';
export { VenueConnectors } from './venue-connectors.ts';
export type { VenueConnectorFactory } from './venue-connectors.ts';
export { VENUE_COMMAND_TYPES, VenueConnectionState } from './venue-messages.ts';
export type {
  MarketDataMessage,
  VenueCommand,
  VenueExecutionMessage,
  VenueStatus,
} from './venue-messages.ts';
export { venueMetrics } from './venue-metrics.ts';
export type { VenueMetrics } from './venue-metrics.ts';
export { registerVenueKinds } from './register-venue-kinds.ts';
export type { VenueKindsOptions } from './register-venue-kinds.ts';
export * from './venue-wire.ts';
export * from './instrument-wire.ts';
