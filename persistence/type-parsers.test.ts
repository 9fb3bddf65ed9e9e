import { describe, expect, it } from 'vitest';
import { exactTypeParsers, parseUnquotedArray } from './type-parsers.ts';

describe('exact type parsers', () => {
  it('keeps NUMERIC and INT8 text as strings and leaves other types to pg', () => {
    const { getTypeParser } = exactTypeParsers();
    const parse = (oid: number, text: string): unknown =>
      (getTypeParser(oid, 'text') as (v: string) => unknown)(text);
    expect(parse(1700, '123456789012345678.123456789')).toBe('123456789012345678.123456789');
    expect(parse(20, '9007199254740993')).toBe('9007199254740993');
    expect(parse(1231, '{0.1,NULL,-2.50}')).toEqual(['0.1', null, '-2.50']);
    expect(parse(1016, '{9007199254740993}')).toEqual(['9007199254740993']);
    expect(parse(23, '42')).toBe(42);
  });

  it('parses nested, empty and lower-bound arrays', () => {
    expect(parseUnquotedArray('{}')).toEqual([]);
    expect(parseUnquotedArray('{{1,2},{3,NULL}}')).toEqual([
      ['1', '2'],
      ['3', null],
    ]);
    expect(parseUnquotedArray('[0:1]={5,6}')).toEqual(['5', '6']);
    expect(() => parseUnquotedArray('1,2')).toThrow(SyntaxError);
  });
});
