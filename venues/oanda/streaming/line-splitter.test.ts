import { describe, expect, it } from 'vitest';
import { LineSplitter } from './line-splitter.ts';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('LineSplitter', () => {
  it('joins lines split across chunks, skips empty lines and strips CR', () => {
    const splitter = new LineSplitter();
    expect(splitter.push(bytes('{"a":1}\n{"b"')).lines).toEqual(['{"a":1}']);
    expect(splitter.push(bytes(':2}\r\n\n{"c":3}\n')).lines).toEqual(['{"b":2}', '{"c":3}']);
  });

  it('keeps a multi-byte character split between chunks intact', () => {
    const splitter = new LineSplitter();
    const all = bytes('{"x":"€"}\n');
    expect(splitter.push(all.slice(0, 7)).lines).toEqual([]);
    expect(splitter.push(all.slice(7)).lines).toEqual(['{"x":"€"}']);
  });

  it('drops and reports a line longer than the limit', () => {
    const splitter = new LineSplitter(8);
    expect(splitter.push(bytes('0123456789')).overflow).toBe(true);
    expect(splitter.push(bytes('ok\n')).lines).toEqual(['ok']);
  });
});
