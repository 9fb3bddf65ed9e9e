// What every venue adapter shares: field readers for venue JSON, the malformed-payload error, the REST
// request, the reconnecting WebSocket and the reconnect backoff, and the HTTP status → failure-kind mapping.
export { reconnectDelayMs } from './backoff.ts';
export type { BackoffOptions, RandomSource } from './backoff.ts';
export { MalformedPayloadError } from './parse-error.ts';
export { ReconnectingSocket } from './reconnecting-socket.ts';
export type { ReconnectingSocketOptions } from './reconnecting-socket.ts';
export { HttpFailure, classifyHttpFailure } from './http-failure.ts';
export { HttpRequestError, HttpRequestFailure, httpJsonRequest, httpRequest } from './http-request.ts';
export type { HttpAnswer, HttpRequestInit, JsonCall } from './http-request.ts';
