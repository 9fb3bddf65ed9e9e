import type { Envelope } from '../../proto/index.ts';

/**
 * Diagnostic hooks on the frames a transport writes and reads (`RemoteTransportOptions.frameTap`),
 * for measuring where a round trip's time goes (bench/remote-messaging.bench.ts,
 * BENCH_REQUEST_STAMPS). Absent, as a node runs, they cost one `undefined` check per frame.
 * The hooks run on the transport's own path: they must be quick and must not throw.
 */
export interface FrameTap {
  /**
   * A batch frame carrying `envelopes` (oldest first) is about to be handed to the stream
   * (grpc-js). The returned function is called when the stream calls the write back: on the
   * accepting side (grpc-js server) once Node's HTTP/2 session has written the frame to the
   * socket; on the dialing side as soon as grpc-js's retry layer has taken (copied) the frame,
   * before it reaches the socket.
   */
  frameOut(envelopes: readonly Envelope[]): () => void;
  /** A batch frame was read from a peer and decoded into `envelopes`, before any is routed. */
  frameIn(envelopes: readonly Envelope[]): void;
}
