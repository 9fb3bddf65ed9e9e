import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { TextFrame } from './ws-frame.ts';

/** ws's framing function (ws exports Sender; @types/ws does not describe it). */
interface WsSender {
  frame(
    data: Buffer,
    options: { fin: boolean; opcode: number; mask: boolean; readOnly: boolean; rsv1: boolean },
  ): (Buffer | string)[];
}
const { Sender } = createRequire(import.meta.url)('ws') as { Sender: WsSender };

/** ws's own framing of a server text message (unmasked, FIN). */
function wsFramed(text: string): Buffer {
  const data = Buffer.from(text, 'utf8');
  const parts = Sender.frame(data, { fin: true, opcode: 1, mask: false, readOnly: false, rsv1: false });
  return Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : part)));
}

describe('TextFrame', () => {
  it.each([0, 1, 125, 126, 127, 65_535, 65_536, 200_000])(
    'frames a %i-byte text exactly as ws does',
    (length) => {
      const text = 'x'.repeat(length);
      const frame = new TextFrame(text);
      expect(frame.wire.equals(wsFramed(text))).toBe(true);
      expect(frame.payload.toString('utf8')).toBe(text);
    },
  );

  it('counts the length in UTF-8 bytes, not characters', () => {
    const text = `{"price":"€ ${'é'.repeat(70)}"}`; // under 126 characters, over 125 bytes
    const frame = new TextFrame(text);
    expect(frame.wire.equals(wsFramed(text))).toBe(true);
    expect(frame.wire[1]).toBe(126);
  });
});
