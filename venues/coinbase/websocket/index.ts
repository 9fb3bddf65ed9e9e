export { ChannelSocket } from './channel-socket.ts';
export type { ChannelSocketOptions } from './channel-socket.ts';
export { ReconnectingSocket } from '../../common/index.ts';
export type { ReconnectingSocketOptions } from '../../common/index.ts';
export type { SubscribeRequest } from './messages.ts';
