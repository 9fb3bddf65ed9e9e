// orders/<accountId>: the event-sourced order manager (docs/trading.md).
export { orderManagerKind } from './order-manager.ts';
export type { OrderManagerKind } from './order-manager.ts';
export { OrdersRequest } from './order-manager-messages.ts';
export type {
  OrdersCommand,
  PlaceOrderRequest,
  ReconcileReport,
  ReconcileTrigger,
  VenueObservation,
} from './order-manager-messages.ts';
export type {
  OrderManagerOptions,
  OrderManagerRiskInputs,
  UnknownOrderPolicy,
} from './order-manager-options.ts';
export { NEVER_RECEIVED, RepairKind } from './reconciliation.ts';
export { connectorVenueAccess } from './venue-access.ts';
export type { VenueAccess, VenueEndpoint } from './venue-access.ts';
