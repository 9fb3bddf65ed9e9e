export { createInstrument } from './instrument.ts';
export type { Instrument, InstrumentSpec } from './instrument.ts';
export { OrderViolationCode } from './order-violation.ts';
export type { OrderValidation, OrderViolation, VenueRejection } from './order-violation.ts';
export { assertValidOrder, validateOrder } from './validate-order.ts';
export type { OrderParameters } from './validate-order.ts';
export { VENUE_REJECTIONS, venueRejection } from './venue-rejections.ts';
