export type { Brand } from './brand.ts';
export { parseAccountId, isAccountId } from './account-id.ts';
export type { AccountId } from './account-id.ts';
export {
  parseClientOrderId,
  isClientOrderId,
  newClientOrderId,
  CLIENT_ORDER_ID_PREFIX,
} from './client-order-id.ts';
export type { ClientOrderId, RandomBytes } from './client-order-id.ts';
export {
  InstrumentId,
  parseInstrumentId,
  parseInstrumentIdParts,
  formatInstrumentId,
  isInstrumentId,
} from './instrument-id.ts';
export type { InstrumentIdParts } from './instrument-id.ts';
export { parseOrderId, isOrderId, newOrderId } from './order-id.ts';
export type { OrderId } from './order-id.ts';
export { parseSymbolId, isSymbolId } from './symbol-id.ts';
export type { SymbolId } from './symbol-id.ts';
export { parseTradeId, isTradeId } from './trade-id.ts';
export type { TradeId } from './trade-id.ts';
export { parseUserId, isUserId } from './user-id.ts';
export type { UserId } from './user-id.ts';
export { parseVenueId, isVenueId, Venues } from './venue-id.ts';
export { parseVenueOrderId, isVenueOrderId } from './venue-order-id.ts';
export type { VenueOrderId } from './venue-order-id.ts';
export type { VenueId } from './venue-id.ts';
