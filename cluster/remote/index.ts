// Remoting: one mutual-TLS bidirectional gRPC stream per peer carrying batches of envelopes.
// Split by role: endpoint manager (RemoteTransport), per-peer endpoint, writer, reader
// (Connection), serializer (envelope/frame codec). See docs/remoting.md.
export { Backoff } from './backoff.ts';
export { NO_BUSY_POLL } from './busy-poll.ts';
export type { BusyPollOptions } from './busy-poll.ts';
export type { BackoffOptions } from './backoff.ts';
export {
  EnvelopeTooLargeError,
  HandshakeRejectedError,
  MalformedFrameError,
  RemoteUnknownError,
  errorDetailOf,
  errorFromDetail,
} from './errors.ts';
export { decodeEnvelope, encodeEnvelopeElement } from './envelope-codec.ts';
export { decodeFrame, encodeBatchFrame } from './frame-codec.ts';
export type { FrameTap } from './frame-tap.ts';
export { remoteMetrics } from './metrics.ts';
export type { RemoteMetrics } from './metrics.ts';
export { OutboundQueue } from './outbound-queue.ts';
export { EndpointState } from './peer-endpoint.ts';
export { RemoteTransport } from './remote-transport.ts';
export type { PeerStatus, RequestOptions } from './remote-transport.ts';
export { PROTOCOL_VERSION } from './remote-transport-options.ts';
export type {
  DeliverFn,
  InboundPeer,
  RemoteStartOptions,
  RemoteTransportOptions,
  UndeliverableFn,
} from './remote-transport-options.ts';
export { FlushScheduling } from './stream-writer.ts';
export { clusterTransportServiceDefinition } from './transport-service.ts';
export type { InboundHost, ListenerService } from './inbound-server.ts';
