/**
 * The receiver's fast path for the envelopes a stream with string tables carries nearly always:
 * target, sender and type as table references, a payload, correlation and trace ids, a deadline and
 * a kind, each field with a one-byte tag and short varints. It reads them with a local offset
 * instead of a cursor object and method calls per field, and builds the envelope in one object
 * literal. Anything else (a string literal, which may define a table entry; an error detail; an
 * unknown field; a long or truncated varint) is left to `decodeEnvelope` from the start of the
 * envelope: the fast path has no side effect before it returns, so the general decoder sees the
 * envelope as if the fast path had not run, and reports malformed input the same way.
 */
import type { Envelope } from '../../proto/index.ts';
import {
  TAG_CORRELATION,
  TAG_DEADLINE,
  TAG_KIND,
  TAG_PAYLOAD,
  TAG_SENDER_REF,
  TAG_TARGET_REF,
  TAG_TRACE,
  TAG_TYPE_REF,
  decodeEnvelope,
} from './envelope-codec.ts';
import type { StringTableDecoder } from './string-table.ts';

const EMPTY: Buffer = Buffer.alloc(0);
const NO_DEADLINE = 0n;

/** Where the varint read last by `varintAt` ended; -1 when it was not a short, complete varint. */
let varintEnd = -1;

/**
 * The varint at `at` (before `end`) when it is at most 7 bytes long (values below 2^49: lengths,
 * indices, kinds and Unix-ms deadlines), with `varintEnd` set after it; otherwise `varintEnd` is -1.
 */
function varintAt(buffer: Buffer, at: number, end: number): number {
  let result = 0;
  let scale = 1;
  for (let i = at; i < end && i < at + 7; i += 1) {
    const byte = buffer[i] ?? 0x80;
    result += (byte & 0x7f) * scale;
    if (byte < 0x80) {
      varintEnd = i + 1;
      return result;
    }
    scale *= 0x80;
  }
  varintEnd = -1;
  return 0;
}

/**
 * Decodes the Envelope body in [start, end) of `buffer` like `decodeEnvelope` (payload a view of
 * the frame, references resolved against `table`), taking the fast path when every field is one it
 * knows and falling back to `decodeEnvelope` otherwise.
 */
export function decodeEnvelopeFast(
  buffer: Buffer,
  start: number,
  end: number,
  table: StringTableDecoder | undefined,
): Envelope {
  let payload = EMPTY;
  let correlationId = '';
  let traceId = '';
  let deadline = 0;
  let kind = 0;
  let targetRef = 0;
  let senderRef = 0;
  let typeRef = 0;
  let at = start;
  while (at < end) {
    const tag = buffer[at] ?? 0;
    const value = varintAt(buffer, at + 1, end);
    const next = varintEnd;
    if (next < 0) return decodeEnvelope(buffer, start, end, table);
    switch (tag) {
      case TAG_PAYLOAD:
      case TAG_CORRELATION:
      case TAG_TRACE: {
        if (value > end - next) return decodeEnvelope(buffer, start, end, table);
        at = next + value;
        if (tag === TAG_PAYLOAD) payload = buffer.subarray(next, at);
        else if (tag === TAG_CORRELATION) correlationId = buffer.toString('utf8', next, at);
        else traceId = buffer.toString('utf8', next, at);
        continue;
      }
      case TAG_DEADLINE:
        deadline = value;
        break;
      case TAG_KIND:
        kind = value;
        break;
      case TAG_TARGET_REF:
        targetRef = value;
        break;
      case TAG_SENDER_REF:
        senderRef = value;
        break;
      case TAG_TYPE_REF:
        typeRef = value;
        break;
      default:
        return decodeEnvelope(buffer, start, end, table);
    }
    at = next;
  }
  // A reference without its literal stands for an entry defined earlier (an absent field is empty);
  // a missing table or an unknown index is the general decoder's error to report.
  const refs = targetRef + senderRef + typeRef;
  if (refs > 0 && table === undefined) return decodeEnvelope(buffer, start, end, table);
  const target = targetRef === 0 ? '' : table?.lookup(targetRef);
  const sender = senderRef === 0 ? '' : table?.lookup(senderRef);
  const type = typeRef === 0 ? '' : table?.lookup(typeRef);
  if (target === undefined || sender === undefined || type === undefined)
    return decodeEnvelope(buffer, start, end, table);
  return {
    target,
    sender,
    type,
    payload,
    correlationId,
    traceId,
    deadlineUnixMs: deadline === 0 ? NO_DEADLINE : BigInt(deadline),
    kind,
    error: undefined,
  };
}
