import { InvalidArgumentError } from '../../domain/errors.ts';
import type { NinjaError } from '../../domain/errors.ts';
import type { Logger, MetricsRegistry } from '../../observability/index.ts';
import type { Envelope } from '../../proto/index.ts';
import type { ClusterTls } from '../tls/index.ts';
import type { BackoffOptions } from './backoff.ts';
import { NO_BUSY_POLL } from './busy-poll.ts';
import type { BusyPollOptions } from './busy-poll.ts';
import { DEFAULT_FLOW_CONTROL_WINDOW, MAX_FLOW_CONTROL_WINDOW } from './flow-control.ts';
import type { FrameTap } from './frame-tap.ts';
import type { FlushScheduling } from './stream-writer.ts';

/** Wire protocol version exchanged in the handshake; peers must match. */
export const PROTOCOL_VERSION = 1;

/** The node that sent a delivered envelope, and the way to answer its requests. */
export interface InboundPeer {
  readonly peerNodeId: string;
  /** Answers a REQUEST with a RESPONSE (same correlation and trace id). Call once per request. */
  respond(request: Envelope, response: { readonly type: string; readonly payload: Uint8Array }): void;
  /** Answers a REQUEST with an ERROR carrying the error's code (INTERNAL for non-domain errors). */
  fail(request: Envelope, error: unknown): void;
}

/**
 * Local delivery of a MESSAGE or REQUEST from a peer. Unknown targets or message types are its
 * business: it answers a request with `from.fail(...)`. A throw or rejection answers a request
 * with that error and is logged for a message.
 */
export type DeliverFn = (envelope: Envelope, from: InboundPeer) => void | Promise<void>;

/** Called with each envelope that was queued for a peer but could not be written to it. */
export type UndeliverableFn = (envelope: Envelope, reason: NinjaError) => void;

export interface RemoteTransportOptions {
  readonly logger: Logger;
  readonly metrics: MetricsRegistry;
  /** Where queued messages go when their peer is lost, so the cluster layer can re-route them. */
  readonly onUndeliverable?: UndeliverableFn;
  /** Envelopes queued per peer before `send` reports overload (default 65,536). */
  readonly queueCapacity?: number;
  /** Envelopes per batch write at most (default 256). */
  readonly maxBatchEnvelopes?: number;
  /** Bytes per batch write at most, unless one envelope is larger (default 256 KiB). */
  readonly maxBatchBytes?: number;
  /** Largest envelope sent or accepted, encoded (default 4 MiB). */
  readonly maxEnvelopeBytes?: number;
  /** When partly filled batches are written (default end of the current macrotask). */
  readonly flushScheduling?: FlushScheduling;
  /** Time allowed for hello/welcome (default 5 s). */
  readonly handshakeTimeoutMs?: number;
  /** `request` timeout when none is given (default 5 s). */
  readonly defaultRequestTimeoutMs?: number;
  readonly reconnect?: BackoffOptions;
  /** How long `stop` and `disconnect` wait for queues to flush (default 5 s). */
  readonly stopDeadlineMs?: number;
  /** Refuse a hello whose node id is not the CN of the client certificate (default true). */
  readonly requireCertificateNodeId?: boolean;
  /** Keep the event loop polling around remote traffic instead of sleeping (default off; busy-poll.ts). */
  readonly busyPoll?: Partial<BusyPollOptions>;
  /** HTTP/2 receive window per connection and per stream, both sides (default 8 MiB; flow-control.ts). */
  readonly flowControlWindowBytes?: number;
  /** Diagnostic hooks told of every batch frame written and read (frame-tap.ts; default none). */
  readonly frameTap?: FrameTap;
}

export interface RemoteStartOptions {
  /** `host:port` to listen on, e.g. `127.0.0.1:0`. */
  readonly listen: string;
  readonly tls: Pick<ClusterTls, 'caPem' | 'certificatePem' | 'privateKeyPem'>;
  readonly nodeId: string;
  readonly clusterName: string;
  readonly deliver: DeliverFn;
}

/** Options with every default applied. */
export interface ResolvedRemoteOptions {
  readonly queueCapacity: number;
  readonly maxBatchEnvelopes: number;
  readonly maxBatchBytes: number;
  readonly maxEnvelopeBytes: number;
  readonly flushScheduling: FlushScheduling;
  readonly handshakeTimeoutMs: number;
  readonly defaultRequestTimeoutMs: number;
  readonly reconnect: BackoffOptions;
  readonly stopDeadlineMs: number;
  readonly requireCertificateNodeId: boolean;
  readonly busyPoll: BusyPollOptions;
  readonly flowControlWindowBytes: number;
}

export function resolveRemoteOptions(options: RemoteTransportOptions): ResolvedRemoteOptions {
  return {
    queueCapacity: options.queueCapacity ?? 65_536,
    maxBatchEnvelopes: options.maxBatchEnvelopes ?? 256,
    maxBatchBytes: options.maxBatchBytes ?? 256 * 1024,
    maxEnvelopeBytes: options.maxEnvelopeBytes ?? 4 * 1024 * 1024,
    flushScheduling: options.flushScheduling ?? 'immediate',
    handshakeTimeoutMs: options.handshakeTimeoutMs ?? 5000,
    defaultRequestTimeoutMs: options.defaultRequestTimeoutMs ?? 5000,
    reconnect: options.reconnect ?? {},
    stopDeadlineMs: options.stopDeadlineMs ?? 5000,
    requireCertificateNodeId: options.requireCertificateNodeId ?? true,
    busyPoll: busyPollOptions(options.busyPoll),
    flowControlWindowBytes: flowControlWindow(options.flowControlWindowBytes),
  };
}

function busyPollOptions(given: Partial<BusyPollOptions> | undefined): BusyPollOptions {
  const options = { ...NO_BUSY_POLL, ...given };
  for (const [name, value] of Object.entries(options)) {
    if (!Number.isFinite(value) || value < 0)
      throw new InvalidArgumentError(
        `busyPoll.${name}`,
        `must be a finite number of µs >= 0; got ${String(value)}`,
      );
  }
  return options;
}

function flowControlWindow(bytes: number | undefined): number {
  if (bytes === undefined) return DEFAULT_FLOW_CONTROL_WINDOW;
  if (!Number.isInteger(bytes) || bytes < 65_535 || bytes > MAX_FLOW_CONTROL_WINDOW)
    throw new InvalidArgumentError(
      'flowControlWindowBytes',
      `must be an integer from 65535 to ${String(MAX_FLOW_CONTROL_WINDOW)}; got ${String(bytes)}`,
    );
  return bytes;
}

/** grpc-js channel/server options shared by both sides: frames up to one envelope plus one batch. */
export function grpcChannelOptions(options: ResolvedRemoteOptions): Record<string, number> {
  const maxFrame = options.maxEnvelopeBytes + options.maxBatchBytes + 1024;
  return {
    'grpc.max_receive_message_length': maxFrame,
    'grpc.max_send_message_length': maxFrame,
    'grpc.keepalive_time_ms': 10_000,
    'grpc.keepalive_timeout_ms': 5_000,
    'grpc.keepalive_permit_without_calls': 1,
    'grpc.initial_reconnect_backoff_ms': 100,
    'grpc.max_reconnect_backoff_ms': 2_000,
    // The dialer's receive window; the accepting side widens its own (flow-control.ts).
    'grpc-node.flow_control_window': options.flowControlWindowBytes,
  };
}
