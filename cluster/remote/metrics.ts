import type { Counter, Gauge } from 'prom-client';
import { TalliedHistogram } from '../../observability/index.ts';
import type { MetricsRegistry } from '../../observability/index.ts';

/** The remote transport's metrics, registered (idempotently) on the node's registry. */
export interface RemoteMetrics {
  /** Envelopes waiting in the outbound queue, by `peer` (inbound streams: `peer` is `<id>(in)`). */
  readonly queueDepth: Gauge<'peer'>;
  /** Envelopes per written or received batch, by `direction` (out, in); counted outside prom-client. */
  readonly batchSize: TalliedHistogram;
  readonly messagesSent: Counter<'peer'>;
  readonly messagesReceived: Counter<'peer'>;
  /** Request round trip, seconds, by `outcome` (ok, error, timeout, unavailable). */
  readonly requestDuration: TalliedHistogram;
  /** Sends refused because the outbound queue was full. */
  readonly overloadRejections: Counter<'peer'>;
  readonly reconnects: Counter<'peer'>;
  /** Stream failures by `reason` (closed, error, handshake, malformed, protocol, ...). */
  readonly streamErrors: Counter<'peer' | 'reason'>;
  /** Connections refused during the TLS handshake (no certificate, unknown CA, ...). */
  readonly tlsRejections: Counter;
  /** Handshakes refused by `reason` (cluster, protocol, node-id, timeout). */
  readonly handshakeRejections: Counter<'reason'>;
  /** Received envelopes not delivered, by `reason` (expired, oversized, unmatched-response, ...). */
  readonly rejectedEnvelopes: Counter<'reason'>;
  /** Envelopes handed to onUndeliverable, by `reason`. */
  readonly undeliverable: Counter<'reason'>;
  /** Seconds the event loop was kept polling by the busy-poll idle strategy (busy-poll.ts). */
  readonly busyPollSeconds: Counter;
}

export function remoteMetrics(registry: MetricsRegistry): RemoteMetrics {
  return {
    queueDepth: registry.gauge({
      name: 'ninja_remote_outbound_queue_depth',
      help: 'Envelopes waiting in the outbound queue to a peer',
      labelNames: ['peer'],
    }),
    batchSize: batchSizes(registry),
    messagesSent: registry.counter({
      name: 'ninja_remote_envelopes_sent_total',
      help: 'Envelopes written to cluster streams',
      labelNames: ['peer'],
    }),
    messagesReceived: registry.counter({
      name: 'ninja_remote_envelopes_received_total',
      help: 'Envelopes read from cluster streams',
      labelNames: ['peer'],
    }),
    requestDuration: requestDurations(registry),
    overloadRejections: registry.counter({
      name: 'ninja_remote_overload_rejections_total',
      help: 'Sends refused because the outbound queue to the peer was full',
      labelNames: ['peer'],
    }),
    reconnects: registry.counter({
      name: 'ninja_remote_reconnects_total',
      help: 'Reconnect attempts to peers',
      labelNames: ['peer'],
    }),
    streamErrors: registry.counter({
      name: 'ninja_remote_stream_errors_total',
      help: 'Cluster stream failures by reason',
      labelNames: ['peer', 'reason'],
    }),
    tlsRejections: registry.counter({
      name: 'ninja_remote_tls_rejections_total',
      help: 'Inbound connections refused during the TLS handshake',
    }),
    handshakeRejections: registry.counter({
      name: 'ninja_remote_handshake_rejections_total',
      help: 'Cluster stream handshakes refused by reason',
      labelNames: ['reason'],
    }),
    rejectedEnvelopes: registry.counter({
      name: 'ninja_remote_rejected_envelopes_total',
      help: 'Received envelopes not delivered, by reason',
      labelNames: ['reason'],
    }),
    undeliverable: registry.counter({
      name: 'ninja_remote_undeliverable_total',
      help: 'Envelopes handed back to the cluster layer as undeliverable, by reason',
      labelNames: ['reason'],
    }),
    busyPollSeconds: registry.counter({
      name: 'ninja_remote_busy_poll_seconds_total',
      help: 'Seconds the event loop was kept polling for remote traffic instead of sleeping (busyPoll option)',
    }),
  };
}

const DURATION_BOUNDS = [
  0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
] as const;

/**
 * `ninja_remote_request_duration_seconds{outcome}` (RequestOutcome), counted outside prom-client:
 * its `observe` built a label object, a hash string and a string bucket key per remote request
 * (≈ 290 bytes and ≈ 1 µs in a heap-sampling profile of the request bench, a tenth of what the
 * requesting node allocated per round trip). Shared by every transport on one registry.
 */
export function requestDurations(registry: MetricsRegistry): TalliedHistogram {
  return TalliedHistogram.on(registry, {
    name: 'ninja_remote_request_duration_seconds',
    help: 'Remote request round trip by outcome',
    label: 'outcome',
    bounds: DURATION_BOUNDS,
  });
}

/**
 * `ninja_remote_batch_size{direction}`, counted outside prom-client for the same reason: it is
 * observed for every frame written and read (≈ 850 a second each way at 10,000 requests/s), and
 * prom-client's labelled observe (a label object, a hash string and a string bucket key per call)
 * was the largest single JS function of both processes in CPU profiles of the request bench, and
 * one more per-frame function for V8 to optimise while a node warms up (docs/remoting.md, session 9).
 */
export function batchSizes(registry: MetricsRegistry): TalliedHistogram {
  return TalliedHistogram.on(registry, {
    name: 'ninja_remote_batch_size',
    help: 'Envelopes per batch written to or read from a cluster stream',
    label: 'direction',
    bounds: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
  });
}
