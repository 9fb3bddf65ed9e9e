export { FINISHED_ORDERS_TRACKED, FINISHED_ORDERS_TRACKED_MS, OandaConnector } from './oanda-connector.ts';
export type { OandaConnectorOptions } from './oanda-connector.ts';
export {
  applyCancel,
  applyFill,
  fillOf,
  quantityOf,
  sideOf,
  snapshotOf,
  trackOrder,
} from './execution-mapping.ts';
export { placementFromCreate, placementFromHistory } from './placement.ts';
export type { OrderHistory, Placement } from './placement.ts';
export type { TrackedOrder } from './execution-mapping.ts';
