export { ChannelSocket } from './channel-socket.ts';
export type { ChannelSocketOptions } from './channel-socket.ts';
export { ReconnectingSocket } from './reconnecting-socket.ts';
export type { ReconnectingSocketOptions } from './reconnecting-socket.ts';
export type { SubscribeRequest } from './messages.ts';
