import { describe, expect, it } from 'vitest';
import { ReplyTo } from '../../actors/kernel/index.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { jsonMessageCodec } from './cluster-kind.ts';

type Msg =
  { readonly type: 'add'; readonly by: string } | { readonly type: 'get'; readonly replyTo: ReplyTo<string> };

const codec = jsonMessageCodec<Msg>({ types: ['add', 'get'] });

describe('jsonMessageCodec', () => {
  it('round-trips a message and leaves the reply address behind', () => {
    const sent = codec.encodeMessage({ type: 'get', replyTo: new ReplyTo<string>('remote', 0, 'c-1') });
    expect(sent.type).toBe('get');
    expect(Buffer.from(sent.payload).toString()).toBe('{"type":"get"}');
    const replyTo = new ReplyTo<unknown>('node', 7, 'c-1');
    expect(codec.decodeMessage(sent.type, sent.payload, replyTo)).toEqual({ type: 'get', replyTo });
    const add = codec.encodeMessage({ type: 'add', by: '1.50' });
    expect(codec.decodeMessage(add.type, add.payload, undefined)).toEqual({ type: 'add', by: '1.50' });
  });

  it('refuses unknown types, mismatched payloads and non-JSON with INVALID_ARGUMENT', () => {
    const payload = Buffer.from('{"type":"add","by":"1"}');
    expect(() => codec.decodeMessage('drop', payload, undefined)).toThrow(/unknown message type "drop"/);
    expect(() => codec.decodeMessage('get', payload, undefined)).toThrow(InvalidArgumentError);
    expect(() => codec.decodeMessage('add', Buffer.from('{'), undefined)).toThrow(/is not JSON/);
  });

  it('round-trips replies, null included', () => {
    for (const reply of [{ value: 3, nodeId: 'n1' }, 'text', null]) {
      const encoded = codec.encodeReply(reply);
      expect(codec.decodeReply(encoded.type, encoded.payload)).toEqual(reply);
    }
    expect(() => codec.decodeReply('other', Buffer.from('1'))).toThrow(/unexpected reply type/);
  });
});
