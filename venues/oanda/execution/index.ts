export { OandaConnector } from './oanda-connector.ts';
export type { OandaConnectorOptions } from './oanda-connector.ts';
export { fillOf, quantityOf, sideOf, snapshotOf, trackOrder } from './execution-mapping.ts';
export type { TrackedOrder } from './execution-mapping.ts';
