/**
 * Stream frames: ConnectRequest (client → server) and ConnectResponse (server → client) share one
 * layout — field 1 is the Hello/Welcome handshake, field 2 an EnvelopeBatch — so one codec serves
 * both directions. Handshake frames use the generated ts-proto code (rare); batches use the
 * hand-written envelope codec (hot).
 */
import { ConnectRequest, ConnectResponse, Hello, Welcome } from '../../proto/index.ts';
import type { Envelope } from '../../proto/index.ts';
import { FrameCursor, TAG_BATCH_ELEMENT, decodeEnvelope, varintSize, writeVarint } from './envelope-codec.ts';
import { MalformedFrameError } from './errors.ts';

const TAG_HANDSHAKE = 0x0a;
const EMPTY = Buffer.alloc(0);
const NONE_OVERSIZED: OversizedEnvelope[] = [];
const TAG_BATCH = 0x12;

/** The handshake fields, identical in Hello and Welcome. */
export interface HandshakeInfo {
  readonly nodeId: string;
  readonly clusterName: string;
  readonly protocolVersion: number;
}

/** A received envelope over the size limit: decoded (to answer it) but never delivered. */
export interface OversizedEnvelope {
  readonly envelope: Envelope;
  readonly bytes: number;
}

export type DecodedFrame =
  | { readonly frame: 'handshake'; readonly handshake: HandshakeInfo }
  | { readonly frame: 'batch'; readonly envelopes: Envelope[]; readonly oversized: OversizedEnvelope[] };

export function encodeHelloFrame(hello: HandshakeInfo): Buffer {
  return Buffer.from(ConnectRequest.encode({ hello: Hello.create(hello) }).finish());
}

export function encodeWelcomeFrame(welcome: HandshakeInfo): Buffer {
  return Buffer.from(ConnectResponse.encode({ welcome: Welcome.create(welcome) }).finish());
}

/**
 * One batch frame from pre-encoded batch elements (see `encodeEnvelopeElement`): the frame header
 * and the elements copied once into a single buffer.
 */
export function encodeBatchFrame(elements: readonly Buffer[], elementBytes: number): Buffer {
  const frame = Buffer.allocUnsafe(1 + varintSize(elementBytes) + elementBytes);
  frame[0] = TAG_BATCH;
  let at = writeVarint(frame, 1, elementBytes);
  for (const element of elements) {
    element.copy(frame, at);
    at += element.length;
  }
  return frame;
}

/** Bytes to leave before a batch's first element for the frame header (tag and a length below 2^35). */
export const BATCH_HEADER_ROOM = 6;

/**
 * Writes the header of a batch frame whose elements are `buffer[elementsStart, elementsEnd)`, right
 * before them (the caller left `BATCH_HEADER_ROOM` bytes there), and returns the frame as a view of
 * `buffer`: the elements are never copied.
 */
export function sealBatchFrame(buffer: Buffer, elementsStart: number, elementsEnd: number): Buffer {
  const elementBytes = elementsEnd - elementsStart;
  const start = elementsStart - 1 - varintSize(elementBytes);
  buffer[start] = TAG_BATCH;
  writeVarint(buffer, start + 1, elementBytes);
  return buffer.subarray(start, elementsEnd);
}

function decodeBatch(
  buffer: Buffer,
  start: number,
  end: number,
  maxEnvelopeBytes: number,
  into: Envelope[],
  oversized: OversizedEnvelope[],
): void {
  const cursor = new FrameCursor(buffer, start, end);
  while (cursor.position < end) {
    const tag = cursor.varint();
    if (tag !== TAG_BATCH_ELEMENT) {
      cursor.skip(tag & 7);
      continue;
    }
    const from = cursor.delimited();
    const envelope = decodeEnvelope(buffer, from, cursor.position);
    const bytes = cursor.position - from;
    if (bytes > maxEnvelopeBytes) oversized.push({ envelope: { ...envelope, payload: EMPTY }, bytes });
    else into.push(envelope);
  }
}

function decodeHandshake(buffer: Buffer, start: number, end: number): HandshakeInfo {
  try {
    return Hello.decode(buffer.subarray(start, end));
  } catch (error) {
    throw new MalformedFrameError('handshake does not decode', { cause: error });
  }
}

/** Decodes a received frame; throws MalformedFrameError on anything that is not a valid frame. */
export function decodeFrame(buffer: Buffer, maxEnvelopeBytes = Number.POSITIVE_INFINITY): DecodedFrame {
  const cursor = new FrameCursor(buffer, 0, buffer.length);
  let handshake: HandshakeInfo | undefined;
  let envelopes: Envelope[] | undefined;
  let oversized: OversizedEnvelope[] = NONE_OVERSIZED;
  while (cursor.position < buffer.length) {
    const tag = cursor.varint();
    if (tag === TAG_HANDSHAKE) {
      const from = cursor.delimited();
      handshake = decodeHandshake(buffer, from, cursor.position);
    } else if (tag === TAG_BATCH) {
      const from = cursor.delimited();
      envelopes ??= [];
      if (oversized === NONE_OVERSIZED) oversized = [];
      decodeBatch(buffer, from, cursor.position, maxEnvelopeBytes, envelopes, oversized);
    } else {
      cursor.skip(tag & 7);
    }
  }
  if (handshake !== undefined && envelopes !== undefined) {
    throw new MalformedFrameError('frame carries both a handshake and a batch');
  }
  if (handshake !== undefined) return { frame: 'handshake', handshake };
  if (envelopes !== undefined) return { frame: 'batch', envelopes, oversized };
  throw new MalformedFrameError('frame carries neither a handshake nor a batch');
}
