/**
 * Stream frames: ConnectRequest (client → server) and ConnectResponse (server → client) share one
 * layout — field 1 is the Hello/Welcome handshake, field 2 an EnvelopeBatch — so one codec serves
 * both directions. Handshake frames use the generated ts-proto code (rare); batches use the
 * hand-written envelope codec (hot).
 */
import { ConnectRequest, ConnectResponse, Hello, Welcome } from '../../proto/index.ts';
import type { Envelope } from '../../proto/index.ts';
import { FrameCursor, TAG_BATCH_ELEMENT, varintSize, writeVarint } from './envelope-codec.ts';
import { decodeEnvelopeFast } from './envelope-fast-decode.ts';
import { MalformedFrameError } from './errors.ts';
import type { StringTableDecoder } from './string-table.ts';

const TAG_HANDSHAKE = 0x0a;
const EMPTY = Buffer.alloc(0);
const NONE_OVERSIZED: OversizedEnvelope[] = [];
const TAG_BATCH = 0x12;
/** EnvelopeBatch.features and StreamFeatures.string_table_entries. */
const TAG_FEATURES = 0x12;
const TAG_STRING_TABLE_ENTRIES = 0x08;

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
  | {
      readonly frame: 'batch';
      readonly envelopes: Envelope[];
      readonly oversized: OversizedEnvelope[];
      /** StreamFeatures.string_table_entries when the batch carries the peer's features. */
      readonly stringTableEntries: number | undefined;
    };

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

/**
 * The frame that announces this node's StreamFeatures on a stream: an EnvelopeBatch with no
 * envelopes, which a peer that does not know the field decodes as an empty batch.
 */
export function encodeFeaturesFrame(stringTableEntries: number): Buffer {
  const features = Buffer.allocUnsafe(1 + varintSize(stringTableEntries));
  features[0] = TAG_STRING_TABLE_ENTRIES;
  writeVarint(features, 1, stringTableEntries);
  const batchBytes = 1 + varintSize(features.length) + features.length;
  const frame = Buffer.allocUnsafe(1 + varintSize(batchBytes) + batchBytes);
  frame[0] = TAG_BATCH;
  let at = writeVarint(frame, 1, batchBytes);
  frame[at] = TAG_FEATURES;
  at = writeVarint(frame, at + 1, features.length);
  features.copy(frame, at);
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

/** StreamFeatures.string_table_entries of a StreamFeatures body in [start, end) (0 when absent). */
function decodeFeatures(buffer: Buffer, start: number, end: number): number {
  const cursor = new FrameCursor(buffer, start, end);
  let entries = 0;
  while (cursor.position < end) {
    const tag = cursor.varint();
    if (tag === TAG_STRING_TABLE_ENTRIES) entries = cursor.varint();
    else cursor.skip(tag & 7);
  }
  return entries;
}

/** Decodes a batch body's envelopes into `into`; returns its features' string table entries, if any. */
function decodeBatch(
  buffer: Buffer,
  start: number,
  end: number,
  maxEnvelopeBytes: number,
  table: StringTableDecoder | undefined,
  into: Envelope[],
  oversized: OversizedEnvelope[],
): number | undefined {
  let features: number | undefined;
  const cursor = new FrameCursor(buffer, start, end);
  while (cursor.position < end) {
    const tag = cursor.varint();
    if (tag !== TAG_BATCH_ELEMENT) {
      if (tag === TAG_FEATURES) {
        const from = cursor.delimited();
        features = decodeFeatures(buffer, from, cursor.position);
      } else {
        cursor.skip(tag & 7);
      }
      continue;
    }
    const from = cursor.delimited();
    // Decoded even when oversized: its string definitions belong to the stream's table.
    const envelope = decodeEnvelopeFast(buffer, from, cursor.position, table);
    const bytes = cursor.position - from;
    if (bytes > maxEnvelopeBytes) oversized.push({ envelope: { ...envelope, payload: EMPTY }, bytes });
    else into.push(envelope);
  }
  return features;
}

function decodeHandshake(buffer: Buffer, start: number, end: number): HandshakeInfo {
  try {
    return Hello.decode(buffer.subarray(start, end));
  } catch (error) {
    throw new MalformedFrameError('handshake does not decode', { cause: error });
  }
}

/**
 * Decodes a received frame; throws MalformedFrameError on anything that is not a valid frame.
 * `table` is the receiving string table of the frame's stream (none: references are refused).
 */
export function decodeFrame(
  buffer: Buffer,
  maxEnvelopeBytes = Number.POSITIVE_INFINITY,
  table?: StringTableDecoder,
): DecodedFrame {
  const cursor = new FrameCursor(buffer, 0, buffer.length);
  let handshake: HandshakeInfo | undefined;
  let envelopes: Envelope[] | undefined;
  let oversized: OversizedEnvelope[] = NONE_OVERSIZED;
  let stringTableEntries: number | undefined;
  while (cursor.position < buffer.length) {
    const tag = cursor.varint();
    if (tag === TAG_HANDSHAKE) {
      const from = cursor.delimited();
      handshake = decodeHandshake(buffer, from, cursor.position);
    } else if (tag === TAG_BATCH) {
      const from = cursor.delimited();
      envelopes ??= [];
      if (oversized === NONE_OVERSIZED) oversized = [];
      const entries = decodeBatch(
        buffer,
        from,
        cursor.position,
        maxEnvelopeBytes,
        table,
        envelopes,
        oversized,
      );
      if (entries !== undefined) stringTableEntries = entries;
    } else {
      cursor.skip(tag & 7);
    }
  }
  if (handshake !== undefined && envelopes !== undefined) {
    throw new MalformedFrameError('frame carries both a handshake and a batch');
  }
  if (handshake !== undefined) return { frame: 'handshake', handshake };
  if (envelopes !== undefined) return { frame: 'batch', envelopes, oversized, stringTableEntries };
  throw new MalformedFrameError('frame carries neither a handshake nor a batch');
}
