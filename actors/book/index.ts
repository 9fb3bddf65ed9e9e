// `book/<venue>/<symbol>`: the L2 book of one instrument, fed by its venue actor, answering book and
// top-of-book requests and publishing deltas and top of book to subscribers.
export { BOOK_KIND, bookActor } from './book-actor.ts';
export type { BookActor, BookActorDeps } from './book-actor.ts';
export { BOOK_COMMAND_TYPES, BookStatus } from './book-messages.ts';
export type { BookCommand, BookUpdate, BookView, TopOfBookWire, TradeWire } from './book-messages.ts';
export { bookMetrics } from './book-metrics.ts';
export type { BookMetrics } from './book-metrics.ts';
export { L2Book } from './l2-book.ts';
