export { LineSplitter } from './line-splitter.ts';
export { ChunkedLineStream } from './chunked-stream.ts';
export type { ChunkedStreamOptions, LineKind } from './chunked-stream.ts';
export { OandaPricingStream } from './pricing-stream.ts';
export { OandaTransactionStream } from './transaction-stream.ts';
export type { OandaStreamContext } from './stream-context.ts';
