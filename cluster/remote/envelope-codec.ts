/**
 * The serializer: a hand-written protobuf codec for the hot path of ninja.v1.Envelope, wire-compatible
 * with the generated ts-proto code (tests check both directions). It encodes straight into one
 * pre-sized Buffer and decodes payloads as zero-copy views of the received frame, which ts-proto's
 * generic BinaryWriter/Reader cannot do; see bench/remote-messaging.bench.ts for the measured gap.
 */
import { InvalidArgumentError } from '../../domain/errors.ts';
import type { Envelope, ErrorDetail } from '../../proto/index.ts';
import { MalformedFrameError } from './errors.ts';
import { refFieldSize } from './string-table.ts';
import type { StringTableDecoder, StringTableEncoder } from './string-table.ts';

const TAG_TARGET = 0x0a;
const TAG_SENDER = 0x12;
const TAG_TYPE = 0x1a;
export const TAG_PAYLOAD = 0x22;
export const TAG_CORRELATION = 0x2a;
export const TAG_TRACE = 0x32;
export const TAG_DEADLINE = 0x38;
export const TAG_KIND = 0x40;
const TAG_ERROR = 0x4a;
/** Envelope.target_ref, sender_ref, type_ref (varints): string table references. */
export const TAG_TARGET_REF = 0x50;
export const TAG_SENDER_REF = 0x58;
export const TAG_TYPE_REF = 0x60;
/** ErrorDetail.code and .message. */
const TAG_ERROR_CODE = 0x0a;
const TAG_ERROR_MESSAGE = 0x12;
/** EnvelopeBatch.envelopes = 1, length-delimited. */
export const TAG_BATCH_ELEMENT = 0x0a;

const MAX_KIND = 4;

export function varintSize(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x200000) return 3;
  if (value < 0x10000000) return 4;
  let size = 4;
  let rest = Math.floor(value / 0x10000000);
  while (rest > 0) {
    size += 1;
    rest = Math.floor(rest / 0x80);
  }
  return size;
}

/** Writes a non-negative integer below 2^53 as a varint; returns the new offset. */
export function writeVarint(buffer: Buffer, offset: number, value: number): number {
  let rest = value;
  let at = offset;
  while (rest >= 0x80) {
    buffer[at++] = (rest % 0x80) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  buffer[at++] = rest;
  return at;
}

/** Strings up to this length are measured and written in JS when ASCII (cheaper than a native call). */
const SHORT_STRING = 64;

/** True when `text` is short and ASCII, so its UTF-8 form is its UTF-16 code units as bytes. */
function shortAscii(text: string): boolean {
  const length = text.length;
  if (length > SHORT_STRING) return false;
  for (let i = 0; i < length; i += 1) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
}

/**
 * The last short ASCII string seen per field number. Target, sender and type usually repeat from
 * one envelope to the next, so equality with the remembered string (often the same string object)
 * replaces a scan; equal content means it is short ASCII too. Slots shared by fields only miss.
 */
const asciiSeen: string[] = ['', '', '', '', '', '', '', '', '', ''];

function knownAscii(text: string, field: number): boolean {
  if (text === asciiSeen[field]) return true;
  if (!shortAscii(text)) return false;
  asciiSeen[field] = text;
  return true;
}

function utf8Length(text: string, field: number): number {
  return knownAscii(text, field) ? text.length : Buffer.byteLength(text, 'utf8');
}

function stringFieldSize(text: string, tag: number): number {
  if (text.length === 0) return 0;
  const bytes = utf8Length(text, tag >> 3);
  return 1 + varintSize(bytes) + bytes;
}

function errorBodySize(error: ErrorDetail): number {
  return (
    stringFieldSize(error.code, TAG_ERROR_CODE) +
    stringFieldSize(error.message, TAG_ERROR_MESSAGE) +
    (error.retryable ? 2 : 0)
  );
}

const MAX_DEADLINE = BigInt(Number.MAX_SAFE_INTEGER);

function deadlineNumber(envelope: Envelope): number {
  const deadline = envelope.deadlineUnixMs;
  if (deadline === 0n) return 0;
  if (deadline < 0n || deadline > MAX_DEADLINE) {
    throw new InvalidArgumentError(
      'envelope.deadlineUnixMs',
      `must be 0 or a Unix time in ms; got ${String(deadline)}`,
    );
  }
  return Number(deadline);
}

function checkedKind(envelope: Envelope): number {
  const kind = envelope.kind as number;
  if (!Number.isInteger(kind) || kind < 0 || kind > MAX_KIND) {
    throw new InvalidArgumentError('envelope.kind', `is not a known EnvelopeKind: ${String(kind)}`);
  }
  return kind;
}

/** Size in bytes of the Envelope message body (without the batch element tag and length). */
export function envelopeBodySize(envelope: Envelope, deadline: number, kind: number): number {
  let size =
    stringFieldSize(envelope.target, TAG_TARGET) +
    stringFieldSize(envelope.sender, TAG_SENDER) +
    stringFieldSize(envelope.type, TAG_TYPE) +
    stringFieldSize(envelope.correlationId, TAG_CORRELATION) +
    stringFieldSize(envelope.traceId, TAG_TRACE);
  const payloadLength = envelope.payload.length;
  if (payloadLength > 0) size += 1 + varintSize(payloadLength) + payloadLength;
  if (deadline > 0) size += 1 + varintSize(deadline);
  if (kind > 0) size += 2;
  if (envelope.error !== undefined) {
    const body = errorBodySize(envelope.error);
    size += 1 + varintSize(body) + body;
  }
  return size;
}

function writeString(buffer: Buffer, offset: number, tag: number, text: string): number {
  if (text.length === 0) return offset;
  buffer[offset] = tag;
  if (knownAscii(text, tag >> 3)) {
    const length = text.length;
    const at = writeVarint(buffer, offset + 1, length);
    for (let i = 0; i < length; i += 1) buffer[at + i] = text.charCodeAt(i);
    return at + length;
  }
  const bytes = Buffer.byteLength(text, 'utf8');
  const at = writeVarint(buffer, offset + 1, bytes);
  return at + buffer.write(text, at, 'utf8');
}

/**
 * Validates `envelope` (deadline, kind) and returns the size of its Envelope body, the figure the
 * size limit applies to; throws InvalidArgumentError.
 */
export function measureEnvelope(envelope: Envelope): number {
  return envelopeBodySize(envelope, deadlineNumber(envelope), checkedKind(envelope));
}

/** Size of a batch element (tag, length, body) whose Envelope body is `body` bytes. */
export function envelopeElementSize(body: number): number {
  return 1 + varintSize(body) + body;
}

/**
 * How target, sender and type of the envelope being encoded travel on a stream with a string table
 * (see string-table.ts): 0 as a literal only, +i as index i alone, -i as the literal defining index i.
 * Filled by `measureWithTable` and read by `writeEnvelopeElement` for the same envelope.
 */
export interface EnvelopeRefs {
  target: number;
  sender: number;
  type: number;
}

/** All three fields as literals (a stream without a string table). */
export const NO_REFS: EnvelopeRefs = Object.freeze({ target: 0, sender: 0, type: 0 });

/** A fresh, all-literal EnvelopeRefs (one per writer, reused for every envelope). */
export function envelopeRefs(): EnvelopeRefs {
  return { target: 0, sender: 0, type: 0 };
}

/** Signed reference of one field (see EnvelopeRefs); gives a new string the next index while there is room. */
function fieldRef(table: StringTableEncoder, text: string, tag: number, slot: 0 | 1 | 2): number {
  if (text.length === 0) return 0;
  const index = table.indexOf(text, slot);
  if (index > 0) return index;
  return -table.add(text, stringFieldSize(text, tag), slot);
}

/** Bytes a field's reference adds to, or saves on, its literal form. */
function refDelta(table: StringTableEncoder, ref: number): number {
  if (ref === 0) return 0;
  if (ref < 0) return refFieldSize(-ref);
  return -table.saving(ref);
}

/**
 * Chooses, for an envelope about to be written on a stream whose peer keeps a string table, how its
 * target, sender and type travel (into `refs`), records new strings in `table`, and returns the
 * Envelope body size with those references. `body` is `measureEnvelope`'s size for this envelope.
 * Every envelope measured this way must then be written with the same `refs`, in order, on that
 * stream: the table assumes the peer sees each definition before the first use of its index.
 */
export function measureWithTable(
  envelope: Envelope,
  body: number,
  table: StringTableEncoder,
  refs: EnvelopeRefs,
): number {
  const target = fieldRef(table, envelope.target, TAG_TARGET, 0);
  const sender = fieldRef(table, envelope.sender, TAG_SENDER, 1);
  const type = fieldRef(table, envelope.type, TAG_TYPE, 2);
  refs.target = target;
  refs.sender = sender;
  refs.type = type;
  return body + refDelta(table, target) + refDelta(table, sender) + refDelta(table, type);
}

function writeRef(buffer: Buffer, offset: number, tag: number, ref: number): number {
  buffer[offset] = tag;
  return writeVarint(buffer, offset + 1, ref < 0 ? -ref : ref);
}

/**
 * Writes `envelope` as one element of EnvelopeBatch.envelopes (tag, length, body) into `buffer` at
 * `offset`, so a batch body is the plain concatenation of its elements. `body` is the size from
 * `measureEnvelope` for this same envelope (or from `measureWithTable`, with the `refs` it filled);
 * the buffer must have room for `envelopeElementSize(body)`. Returns the offset after the element.
 */
export function writeEnvelopeElement(
  buffer: Buffer,
  offset: number,
  envelope: Envelope,
  body: number,
  refs: EnvelopeRefs = NO_REFS,
): number {
  return writeMeasuredElement(
    buffer,
    offset,
    envelope,
    body,
    refs,
    deadlineNumber(envelope),
    checkedKind(envelope),
  );
}

/**
 * `writeEnvelopeElement` for an envelope `measureEnvelope` has already validated (the writer's
 * path: every offered envelope was measured), with its deadline as a number and its kind.
 */
export function writeMeasuredElement(
  buffer: Buffer,
  offset: number,
  envelope: Envelope,
  body: number,
  refs: EnvelopeRefs,
  deadline: number,
  kind: number,
): number {
  buffer[offset] = TAG_BATCH_ELEMENT;
  let at = writeVarint(buffer, offset + 1, body);
  const expectedEnd = at + body;
  if (refs.target <= 0) at = writeString(buffer, at, TAG_TARGET, envelope.target);
  if (refs.sender <= 0) at = writeString(buffer, at, TAG_SENDER, envelope.sender);
  if (refs.type <= 0) at = writeString(buffer, at, TAG_TYPE, envelope.type);
  const payload = envelope.payload;
  if (payload.length > 0) {
    buffer[at] = TAG_PAYLOAD;
    at = writeVarint(buffer, at + 1, payload.length);
    buffer.set(payload, at);
    at += payload.length;
  }
  at = writeString(buffer, at, TAG_CORRELATION, envelope.correlationId);
  at = writeString(buffer, at, TAG_TRACE, envelope.traceId);
  if (deadline > 0) {
    buffer[at] = TAG_DEADLINE;
    at = writeVarint(buffer, at + 1, deadline);
  }
  if (kind > 0) {
    buffer[at++] = TAG_KIND;
    buffer[at++] = kind;
  }
  if (envelope.error !== undefined) {
    const error = envelope.error;
    buffer[at] = TAG_ERROR;
    at = writeVarint(buffer, at + 1, errorBodySize(error));
    at = writeString(buffer, at, TAG_ERROR_CODE, error.code);
    at = writeString(buffer, at, TAG_ERROR_MESSAGE, error.message);
    if (error.retryable) {
      buffer[at++] = 0x18;
      buffer[at++] = 1;
    }
  }
  if (refs.target !== 0) at = writeRef(buffer, at, TAG_TARGET_REF, refs.target);
  if (refs.sender !== 0) at = writeRef(buffer, at, TAG_SENDER_REF, refs.sender);
  if (refs.type !== 0) at = writeRef(buffer, at, TAG_TYPE_REF, refs.type);
  if (at !== expectedEnd)
    throw new Error(
      `envelope encoder wrote ${String(at - offset)} bytes, expected ${String(expectedEnd - offset)}`,
    );
  return at;
}

/**
 * Encodes `envelope` as one element of EnvelopeBatch.envelopes into its own Buffer. `body` is the
 * Envelope's own size, for the size limit. (The writer encodes straight into its own storage instead.)
 */
export function encodeEnvelopeElement(envelope: Envelope): { readonly bytes: Buffer; readonly body: number } {
  const body = measureEnvelope(envelope);
  const bytes = Buffer.allocUnsafe(envelopeElementSize(body));
  writeEnvelopeElement(bytes, 0, envelope, body);
  return { bytes, body };
}

/** A cursor over a received frame; every read is bounds-checked and throws MalformedFrameError. */
export class FrameCursor {
  position: number;
  constructor(
    readonly buffer: Buffer,
    start: number,
    readonly end: number,
  ) {
    this.position = start;
  }

  varint(): number {
    const buffer = this.buffer;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i += 1) {
      if (this.position >= this.end) throw new MalformedFrameError('truncated varint');
      const byte = buffer[this.position++] ?? 0;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 0x80;
    }
    throw new MalformedFrameError('varint longer than 10 bytes');
  }

  /** Start and end of a length-delimited field's content; advances past it. */
  delimited(): number {
    const length = this.varint();
    const start = this.position;
    if (length > this.end - start)
      throw new MalformedFrameError(`field length ${String(length)} runs past the frame`);
    this.position = start + length;
    return start;
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.varint();
        return;
      case 1:
        this.advance(8);
        return;
      case 2:
        this.delimited();
        return;
      case 5:
        this.advance(4);
        return;
      default:
        throw new MalformedFrameError(`unsupported wire type ${String(wireType)}`);
    }
  }

  private advance(bytes: number): void {
    if (this.end - this.position < bytes) throw new MalformedFrameError('truncated fixed-width field');
    this.position += bytes;
  }
}

function readString(cursor: FrameCursor): string {
  const start = cursor.delimited();
  return cursor.buffer.toString('utf8', start, cursor.position);
}

/** Slots of the decoded-string cache (a power of two). */
const STRING_CACHE_SLOTS = 256;
/** Short ASCII strings decoded recently, by a hash of their bytes; shared by every connection. */
const stringCache: string[] = new Array<string>(STRING_CACHE_SLOTS).fill('');
/** The string each repeated field (see `RepeatedField`) decoded to last: the first one tried. */
const lastByField: string[] = ['', '', '', ''];
const RepeatedField = { TARGET: 0, SENDER: 1, TYPE: 2, ERROR_CODE: 3 } as const;
type RepeatedField = (typeof RepeatedField)[keyof typeof RepeatedField];

/** Whether `text` (short, ASCII) is exactly the bytes `buffer[start, start + text.length)`. */
function sameAscii(text: string, buffer: Buffer, start: number, length: number): boolean {
  if (text.length !== length) return false;
  let i = 0;
  while (i < length && text.charCodeAt(i) === buffer[start + i]) i += 1;
  return i === length;
}

/**
 * Reads a string field that usually repeats from envelope to envelope (target, sender, type, error
 * code): a short ASCII one equal to the field's last value, or found in the cache, is returned
 * without decoding or allocating. It cut decoding a batch of 256 bench envelopes from ~400 to
 * ~190 ns per envelope (three native toString calls and their strings saved).
 */
function readRepeatedString(cursor: FrameCursor, field: RepeatedField): string {
  const start = cursor.delimited();
  const end = cursor.position;
  const buffer = cursor.buffer;
  const length = end - start;
  if (length === 0) return '';
  if (length > SHORT_STRING) return buffer.toString('utf8', start, end);
  // An ASCII string never equals bytes that are not ASCII, so a match needs no further check.
  const last = lastByField[field] ?? '';
  if (sameAscii(last, buffer, start, length)) return last;
  let hash = length;
  for (let i = start; i < end; i += 1) {
    const byte = buffer[i] ?? 0x80;
    if (byte >= 0x80) return buffer.toString('utf8', start, end);
    hash = (Math.imul(hash, 31) + byte) | 0;
  }
  const slot = hash & (STRING_CACHE_SLOTS - 1);
  let text = stringCache[slot] ?? '';
  if (!sameAscii(text, buffer, start, length)) {
    text = buffer.toString('latin1', start, end);
    stringCache[slot] = text;
  }
  lastByField[field] = text;
  return text;
}

function decodeErrorDetail(cursor: FrameCursor, end: number): ErrorDetail {
  const detail: ErrorDetail = { code: '', message: '', retryable: false };
  const inner = new FrameCursor(cursor.buffer, cursor.position, end);
  while (inner.position < end) {
    const tag = inner.varint();
    if (tag === 0x0a) detail.code = readRepeatedString(inner, RepeatedField.ERROR_CODE);
    else if (tag === 0x12) detail.message = readString(inner);
    else if (tag === 0x18) detail.retryable = inner.varint() !== 0;
    else inner.skip(tag & 7);
  }
  return detail;
}

/**
 * A string field sent by reference: defines `ref` as `literal` when the literal came with it, else
 * stands for the string defined earlier. Throws MalformedFrameError (a protocol error) for a
 * reference on a stream without a table, an unknown index, or a definition out of order.
 */
function referenced(table: StringTableDecoder | undefined, ref: number, literal: string): string {
  if (table === undefined)
    throw new MalformedFrameError('string reference on a stream whose receiver keeps no string table');
  if (literal.length === 0) return table.resolve(ref);
  table.define(ref, literal);
  return literal;
}

/**
 * Decodes one Envelope body in [start, end). Payload is a view of the frame (no copy). String
 * references (target_ref, sender_ref, type_ref) are resolved against, and definitions recorded in,
 * `table`, the receiving table of the stream the frame came on, in field order target, sender, type.
 */
export function decodeEnvelope(
  buffer: Buffer,
  start: number,
  end: number,
  table?: StringTableDecoder,
): Envelope {
  const envelope: Envelope = {
    target: '',
    sender: '',
    type: '',
    payload: EMPTY,
    correlationId: '',
    traceId: '',
    deadlineUnixMs: 0n,
    kind: 0,
    error: undefined,
  };
  // -1: no reference in the field.
  let targetRef = -1;
  let senderRef = -1;
  let typeRef = -1;
  const cursor = new FrameCursor(buffer, start, end);
  while (cursor.position < end) {
    const tag = cursor.varint();
    switch (tag) {
      case TAG_TARGET:
        envelope.target = readRepeatedString(cursor, RepeatedField.TARGET);
        break;
      case TAG_SENDER:
        envelope.sender = readRepeatedString(cursor, RepeatedField.SENDER);
        break;
      case TAG_TYPE:
        envelope.type = readRepeatedString(cursor, RepeatedField.TYPE);
        break;
      case TAG_PAYLOAD: {
        const from = cursor.delimited();
        envelope.payload = buffer.subarray(from, cursor.position);
        break;
      }
      case TAG_CORRELATION:
        envelope.correlationId = readString(cursor);
        break;
      case TAG_TRACE:
        envelope.traceId = readString(cursor);
        break;
      case TAG_DEADLINE:
        envelope.deadlineUnixMs = BigInt(cursor.varint());
        break;
      case TAG_KIND:
        envelope.kind = cursor.varint();
        break;
      case TAG_ERROR: {
        const from = cursor.delimited();
        const inner = new FrameCursor(buffer, from, cursor.position);
        envelope.error = decodeErrorDetail(inner, cursor.position);
        break;
      }
      case TAG_TARGET_REF:
        targetRef = cursor.varint();
        break;
      case TAG_SENDER_REF:
        senderRef = cursor.varint();
        break;
      case TAG_TYPE_REF:
        typeRef = cursor.varint();
        break;
      default:
        cursor.skip(tag & 7);
    }
  }
  if (targetRef >= 0) envelope.target = referenced(table, targetRef, envelope.target);
  if (senderRef >= 0) envelope.sender = referenced(table, senderRef, envelope.sender);
  if (typeRef >= 0) envelope.type = referenced(table, typeRef, envelope.type);
  return envelope;
}

const EMPTY = Buffer.alloc(0);
