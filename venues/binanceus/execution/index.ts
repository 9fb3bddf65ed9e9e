export { BinanceUsExecutionClient } from './execution-client.ts';
export type { ExecutionClientOptions } from './execution-client.ts';
