/**
 * HTTP/2 flow-control windows of cluster streams. Node's HTTP/2 sessions start with the protocol's
 * 65,535-byte windows, per connection and per stream: a peer may have only that much data in
 * flight to a receiver before it must wait for the receiver's WINDOW_UPDATE. A batch frame is up
 * to ~28 KB in the bench (256 envelopes), so a sender could have about two frames on the wire and
 * then both processes woke each other up on every window update (see docs/remoting.md, "Session 8").
 *
 * The dialing side's receive window (for answers) is grpc-js's client option
 * `grpc-node.flow_control_window`. grpc-js 1.14 has no such option for its server, so the accepting
 * side widens each session of the server's connection injector when the session starts: the
 * connection window with `setLocalWindowSize` and the streams' windows with an INITIAL_WINDOW_SIZE
 * setting, both documented Node APIs on the session, reached through the HTTP/2 server that grpc-js
 * keeps in its `http2Servers` map (not part of its API: a grpc-js upgrade that changes it is caught
 * by flow-control.test.ts and logged at start).
 */
import type { Server } from '@grpc/grpc-js';
import type { ServerHttp2Session } from 'node:http2';
import type { Logger } from '../../observability/index.ts';

/** Receive window per connection and per stream of a cluster stream, bytes (default of `flowControlWindowBytes`). */
export const DEFAULT_FLOW_CONTROL_WINDOW = 8 * 1024 * 1024;

/** HTTP/2's largest window (2^31 - 1). */
export const MAX_FLOW_CONTROL_WINDOW = 0x7fffffff;

interface SessionSource {
  on(event: 'session', listener: (session: ServerHttp2Session) => void): unknown;
}

function isSessionSource(value: unknown): value is SessionSource {
  return typeof (value as { on?: unknown } | null)?.on === 'function';
}

/**
 * Gives every HTTP/2 session that `server` accepts from now on receive windows of `bytes` (per
 * connection and per stream). Returns false, after logging why, when grpc-js does not expose its
 * HTTP/2 servers as expected (the sessions then keep Node's 65,535-byte windows).
 */
export function widenServerWindows(server: Server, bytes: number, logger: Logger): boolean {
  const servers = (server as unknown as { readonly http2Servers?: unknown }).http2Servers;
  const sources = servers instanceof Map ? [...servers.keys()].filter(isSessionSource) : [];
  if (sources.length === 0) {
    logger.error(
      { flowControlWindowBytes: bytes },
      "cannot widen the cluster server's HTTP/2 flow-control windows: grpc-js keeps no http2Servers map (an unexpected grpc-js version?); inbound streams keep 64 KiB windows, which limits their throughput",
    );
    return false;
  }
  for (const source of sources) {
    source.on('session', (session) => {
      try {
        session.setLocalWindowSize(bytes);
        session.settings({ initialWindowSize: bytes });
      } catch (error) {
        logger.error(
          { err: error, flowControlWindowBytes: bytes },
          'could not widen the HTTP/2 flow-control windows of an inbound cluster session; it keeps 64 KiB windows',
        );
      }
    });
  }
  return true;
}
