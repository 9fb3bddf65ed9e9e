import { DeadlineExceededError } from '../../domain/errors.ts';
import type { Logger } from '../../observability/index.ts';
import { EnvelopeKind } from '../../proto/index.ts';
import type { Envelope } from '../../proto/index.ts';
import { measureEnvelope } from './envelope-codec.ts';
import { EnvelopeTooLargeError, errorDetailOf } from './errors.ts';
import { decodeFrame } from './frame-codec.ts';
import type { BusyPoller } from './busy-poll.ts';
import type { FrameTap } from './frame-tap.ts';
import type { RemoteMetrics } from './metrics.ts';
import type { PendingRequests } from './pending-requests.ts';
import type { DeliverFn, InboundPeer } from './remote-transport-options.ts';
import type { StreamWriter } from './stream-writer.ts';
import { STRING_TABLE_ENTRIES, StringTableDecoder } from './string-table.ts';

/** What a connection needs from the transport that owns it. */
export interface ConnectionHost {
  readonly nodeId: string;
  readonly logger: Logger;
  readonly metrics: RemoteMetrics;
  readonly maxEnvelopeBytes: number;
  readonly pending: PendingRequests;
  readonly deliver: DeliverFn;
  /** The node's idle strategy, told of every frame read (absent: none). */
  readonly busyPoll?: BusyPoller;
  /** Diagnostic hooks told of every batch frame read and written (frame-tap.ts; absent: none). */
  readonly frameTap?: FrameTap;
}

/**
 * The reader of one established stream (either side): decodes batch frames, settles responses,
 * refuses expired and oversized envelopes, hands messages and requests to local delivery, and
 * writes answers back on the same stream (through `writer`).
 *
 * It also keeps the stream's receiving string table. The accepting side announces its
 * StreamFeatures first; a dialer that receives them starts sending by reference and answers with
 * its own, after which the acceptor does the same. A peer that announced features speaks this
 * protocol, so a frame of it that does not decode (a malformed frame, an unknown or out-of-order
 * table index) is a protocol error: counted, logged and the stream closed, because the table
 * could be missing a definition from it. From a peer that never announced (an older node), a
 * malformed frame is dropped and the stream carries on, as before.
 */
export class Connection implements InboundPeer {
  closed = false;
  private readonly received;
  private readonly strings = new StringTableDecoder(STRING_TABLE_ENTRIES);
  /** The peer announced its StreamFeatures on this stream. */
  private peerFeatures = false;
  /** Requests handed to `deliver` and not answered yet. */
  private unanswered = 0;
  /** Answers to delivered requests since the writer last asked whether to hold its batch. */
  private answeredSinceAsked = 0;
  /**
   * The writer's hold: a due batch waits a turn while delivered requests are still unanswered and
   * the last turn answered some (an actor answering a frame's requests one per turn). A turn that
   * answered none (the rest wait for I/O, or their actors are busy) lets the batch go.
   */
  private readonly answering = (): boolean => {
    const progressed = this.answeredSinceAsked > 0;
    this.answeredSinceAsked = 0;
    return progressed && this.unanswered > 0;
  };

  /**
   * `closeStream` ends the stream after a protocol error (the accepting side passes it); without
   * it the writer cancels the stream when its sink can (a client call).
   */
  constructor(
    private readonly host: ConnectionHost,
    readonly peerNodeId: string,
    private readonly writer: StreamWriter,
    private readonly closeStream?: (reason: string) => void,
  ) {
    this.received = host.metrics.messagesReceived.labels({ peer: peerNodeId });
    writer.holdWhile(this.answering);
  }

  onFrame(frame: Buffer): void {
    const host = this.host;
    if (this.closed) return;
    host.busyPoll?.frameReceived();
    let decoded;
    try {
      decoded = decodeFrame(frame, host.maxEnvelopeBytes, this.strings);
    } catch (error) {
      if (this.peerFeatures) {
        this.protocolError(error, frame.length);
        return;
      }
      host.metrics.streamErrors.inc({ peer: this.peerNodeId, reason: 'malformed' });
      host.logger.error(
        { err: error, peerNodeId: this.peerNodeId, frameBytes: frame.length },
        'dropped a malformed frame from a peer; its envelopes are lost (requests in it will time out)',
      );
      return;
    }
    if (decoded.frame === 'handshake') {
      host.metrics.streamErrors.inc({ peer: this.peerNodeId, reason: 'unexpected-handshake' });
      host.logger.warn({ peerNodeId: this.peerNodeId }, 'ignored a handshake frame on an established stream');
      return;
    }
    if (decoded.stringTableEntries !== undefined) this.peerAnnounced(decoded.stringTableEntries);
    const envelopes = decoded.envelopes;
    if (envelopes.length === 0 && decoded.oversized.length === 0) return;
    host.frameTap?.frameIn(envelopes);
    host.metrics.batchSize.observe('in', envelopes.length + decoded.oversized.length);
    this.received.inc(envelopes.length + decoded.oversized.length);
    const now = BigInt(Date.now());
    for (const envelope of envelopes) this.route(envelope, now);
    for (const { envelope, bytes } of decoded.oversized) {
      host.metrics.rejectedEnvelopes.inc({ reason: 'oversized' });
      host.logger.warn(
        { peerNodeId: this.peerNodeId, correlationId: envelope.correlationId, type: envelope.type, bytes },
        'refused an oversized envelope from a peer',
      );
      if (envelope.kind === EnvelopeKind.ENVELOPE_KIND_REQUEST) {
        this.refuse(envelope, new EnvelopeTooLargeError(bytes, host.maxEnvelopeBytes));
      } else if (this.isAnswer(envelope)) {
        host.pending.fail(
          envelope.correlationId,
          'error',
          new EnvelopeTooLargeError(bytes, host.maxEnvelopeBytes),
        );
      }
    }
  }

  respond(request: Envelope, response: { readonly type: string; readonly payload: Uint8Array }): void {
    this.answered();
    this.reply({
      target: request.sender,
      sender: request.target,
      type: response.type,
      payload: asBuffer(response.payload),
      correlationId: request.correlationId,
      traceId: request.traceId,
      deadlineUnixMs: 0n,
      kind: EnvelopeKind.ENVELOPE_KIND_RESPONSE,
      error: undefined,
    });
  }

  fail(request: Envelope, error: unknown): void {
    this.answered();
    this.refuse(request, error);
  }

  /** Answers a request that was never delivered (expired, oversized) with an ERROR. */
  private refuse(request: Envelope, error: unknown): void {
    this.reply({
      target: request.sender,
      sender: request.target,
      type: '',
      payload: EMPTY,
      correlationId: request.correlationId,
      traceId: request.traceId,
      deadlineUnixMs: 0n,
      kind: EnvelopeKind.ENVELOPE_KIND_ERROR,
      error: errorDetailOf(error),
    });
  }

  private answered(): void {
    if (this.unanswered > 0) this.unanswered -= 1;
    this.answeredSinceAsked += 1;
  }

  /** Entries the peer has defined in this stream's receiving string table. */
  get stringTableSize(): number {
    return this.strings.size;
  }

  private peerAnnounced(stringTableEntries: number): void {
    if (this.peerFeatures) return;
    this.peerFeatures = true;
    this.writer.useStringTable(stringTableEntries);
    this.writer.announceFeatures(STRING_TABLE_ENTRIES);
  }

  private protocolError(error: unknown, frameBytes: number): void {
    const host = this.host;
    this.closed = true;
    host.metrics.streamErrors.inc({ peer: this.peerNodeId, reason: 'protocol' });
    host.logger.error(
      {
        err: error,
        peerNodeId: this.peerNodeId,
        frameBytes,
        stringTableEntries: this.strings.size,
      },
      'protocol error on a cluster stream (a frame that does not decode, e.g. an unknown string table index): closing the stream; its peer redials with empty tables',
    );
    const reason = error instanceof Error ? error.message : String(error);
    if (this.closeStream !== undefined) this.closeStream(reason);
    else if (!this.writer.cancelStream())
      host.logger.warn(
        { peerNodeId: this.peerNodeId },
        'the stream cannot be cancelled from here; its frames are ignored',
      );
  }

  private isAnswer(envelope: Envelope): boolean {
    return (
      envelope.kind === EnvelopeKind.ENVELOPE_KIND_RESPONSE ||
      envelope.kind === EnvelopeKind.ENVELOPE_KIND_ERROR
    );
  }

  private route(envelope: Envelope, now: bigint): void {
    const host = this.host;
    const kind = envelope.kind;
    if (kind === EnvelopeKind.ENVELOPE_KIND_RESPONSE || kind === EnvelopeKind.ENVELOPE_KIND_ERROR) {
      if (!host.pending.complete(envelope)) {
        host.metrics.rejectedEnvelopes.inc({ reason: 'unmatched-answer' });
        host.logger.debug(
          { peerNodeId: this.peerNodeId, correlationId: envelope.correlationId },
          'dropped an answer to no pending request (it came after its deadline)',
        );
      }
      return;
    }
    if (kind !== EnvelopeKind.ENVELOPE_KIND_MESSAGE && kind !== EnvelopeKind.ENVELOPE_KIND_REQUEST) {
      host.metrics.rejectedEnvelopes.inc({ reason: 'unknown-kind' });
      host.logger.warn(
        { peerNodeId: this.peerNodeId, correlationId: envelope.correlationId, kind },
        'dropped an envelope of unknown kind',
      );
      return;
    }
    if (envelope.deadlineUnixMs !== 0n && envelope.deadlineUnixMs < now) {
      host.metrics.rejectedEnvelopes.inc({ reason: 'expired' });
      const lateMs = Number(now - envelope.deadlineUnixMs);
      if (kind === EnvelopeKind.ENVELOPE_KIND_REQUEST) {
        this.refuse(
          envelope,
          new DeadlineExceededError(
            `request ${envelope.type} to ${envelope.target} arrived ${String(lateMs)} ms after its deadline; not delivered`,
          ),
        );
      } else {
        host.logger.warn(
          {
            peerNodeId: this.peerNodeId,
            correlationId: envelope.correlationId,
            target: envelope.target,
            lateMs,
          },
          'dropped a message that arrived after its deadline',
        );
      }
      return;
    }
    if (kind === EnvelopeKind.ENVELOPE_KIND_REQUEST) this.unanswered += 1;
    try {
      const result = host.deliver(envelope, this);
      if (result !== undefined) result.catch((error: unknown) => this.deliveryFailed(envelope, error));
    } catch (error) {
      this.deliveryFailed(envelope, error);
    }
  }

  private deliveryFailed(envelope: Envelope, error: unknown): void {
    const log = {
      err: error,
      peerNodeId: this.peerNodeId,
      correlationId: envelope.correlationId,
      target: envelope.target,
      type: envelope.type,
    };
    if (envelope.kind === EnvelopeKind.ENVELOPE_KIND_REQUEST) {
      this.host.logger.warn(log, 'local delivery of a remote request failed; answering with its error');
      this.fail(envelope, error);
      return;
    }
    this.host.metrics.rejectedEnvelopes.inc({ reason: 'delivery-failed' });
    this.host.logger.error(log, 'local delivery of a remote message failed');
  }

  private reply(answer: Envelope): void {
    const host = this.host;
    let queued = answer;
    let body = measureEnvelope(answer);
    if (body > host.maxEnvelopeBytes) {
      queued = {
        ...answer,
        type: '',
        payload: EMPTY,
        kind: EnvelopeKind.ENVELOPE_KIND_ERROR,
        error: errorDetailOf(new EnvelopeTooLargeError(body, host.maxEnvelopeBytes)),
      };
      body = measureEnvelope(queued);
    }
    if (this.closed || !this.writer.offer(queued, body)) {
      host.metrics.rejectedEnvelopes.inc({
        reason: this.closed ? 'answer-stream-closed' : 'answer-overload',
      });
      host.logger.warn(
        { peerNodeId: this.peerNodeId, correlationId: answer.correlationId, closed: this.closed },
        'dropped an answer to a remote request: its stream is closed or its queue is full (the requester will time out)',
      );
    }
  }
}

const EMPTY = Buffer.alloc(0);

/** A Buffer view of `bytes` (no copy). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
