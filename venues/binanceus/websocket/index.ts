export { MarketDataClient } from './market-data-client.ts';
export type { MarketDataClientOptions } from './market-data-client.ts';
export { UserDataClient } from './user-data-client.ts';
export type { UserDataClientOptions } from './user-data-client.ts';
export { ReconnectingSocket } from '../../common/index.ts';
export type { ReconnectingSocketOptions } from '../../common/index.ts';
export { handleFrame } from './handler.ts';
export { streamName } from './messages.ts';
export type { StreamControlRequest, StreamControlResponse } from './messages.ts';
