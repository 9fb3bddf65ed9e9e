import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../domain/errors.ts';
import { formatIdentity, identity, parseIdentity } from './identity.ts';
import { KindRegistry, NodeRole, defaultKindRegistry } from './kinds.ts';

describe('identity', () => {
  it('parses and formats kind/key', () => {
    for (const text of [
      'venue/binanceus',
      'book/binanceus/BTC-USD',
      'orders/0b7e6c1e-3f0a-4c7e-9d55-2f1b8a0c9e11',
    ]) {
      const id = parseIdentity(text);
      expect(formatIdentity(id)).toBe(text);
      expect(id.text).toBe(`${id.kind}/${id.key}`);
    }
    expect(parseIdentity('book/binanceus/BTC-USD')).toMatchObject({ kind: 'book', key: 'binanceus/BTC-USD' });
  });

  it.each([
    ['', 'identity'],
    ['venue', 'identity'],
    ['/binanceus', 'identity'],
    ['Venue/x', 'identity.kind'],
    ['venue/', 'identity.key'],
    ['book/binanceus//BTC', 'identity.key'],
    ['book/binanceus/', 'identity.key'],
    ['venue/bin ance', 'identity.key'],
    ['venue/..', 'identity.key'],
    [`venue/${'x'.repeat(300)}`, 'identity.key'],
  ])('rejects %j naming field %s', (text, field) => {
    const error = (() => {
      try {
        parseIdentity(text);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).field).toBe(field);
  });
});

describe('KindRegistry', () => {
  it('knows the kinds of DESIGN.md with their roles and key shapes', () => {
    const kinds = defaultKindRegistry();
    expect(kinds.list().map((kind) => kind.name)).toEqual([
      'venue',
      'book',
      'orders',
      'risk',
      'portfolio',
      'strategy',
      'swarm',
      'arbitrage',
      'principal',
    ]);
    expect(kinds.require('orders').roles).toEqual([NodeRole.trading]);
    expect(kinds.parse('swarm/s1/m2').key).toBe('s1/m2');
  });

  it('rejects unknown kinds and wrong key shapes with INVALID_ARGUMENT', () => {
    const kinds = defaultKindRegistry();
    expect(() => kinds.parse('nosuch/x')).toThrow(/identity.kind: unknown kind "nosuch"/);
    expect(() => kinds.parse('book/binanceus')).toThrow(/takes 2 key segment/);
    expect(() => kinds.identity('venue', 'a/b')).toThrow(InvalidArgumentError);
  });

  it('accepts more kinds, including test-only ones, but not twice', () => {
    const kinds = defaultKindRegistry().register({
      name: 'test-counter',
      roles: [NodeRole.trading],
      keySegments: 1,
      description: 'counter used by tests',
    });
    expect(kinds.parse('test-counter/7').kind).toBe('test-counter');
    expect(() =>
      kinds.register({ name: 'test-counter', roles: ['trading'], keySegments: 1, description: '' }),
    ).toThrow(/already registered/);
    expect(() =>
      new KindRegistry().register({ name: 'x', roles: [], keySegments: 1, description: '' }),
    ).toThrow(/kind.roles/);
  });

  it('builds identities from parts', () => {
    expect(identity('venue', 'binanceus').text).toBe('venue/binanceus');
  });
});
