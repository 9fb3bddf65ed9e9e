import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.ts';
import type { AccountId } from './account-id.ts';
import { isAccountId, parseAccountId } from './account-id.ts';
import {
  CLIENT_ORDER_ID_PREFIX,
  isClientOrderId,
  newClientOrderId,
  parseClientOrderId,
} from './client-order-id.ts';
import { isOrderId, newOrderId, parseOrderId } from './order-id.ts';
import { isSymbolId, parseSymbolId } from './symbol-id.ts';
import { isTradeId, parseTradeId } from './trade-id.ts';
import type { UserId } from './user-id.ts';
import { isUserId, parseUserId } from './user-id.ts';
import { isVenueId, parseVenueId, Venues } from './venue-id.ts';
import { isVenueOrderId, parseVenueOrderId } from './venue-order-id.ts';

/** Runs `fn`, expects an `InvalidArgumentError` for `field` whose message quotes `quoted`. */
function expectInvalid(fn: () => unknown, field: string, quoted: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InvalidArgumentError);
  const error = caught as InvalidArgumentError;
  expect(error.field).toBe(field);
  expect(error.code).toBe('INVALID_ARGUMENT');
  expect(error.message).toContain(`${field}:`);
  expect(error.message).toContain(quoted);
}

describe('VenueId', () => {
  it.each(['binanceus', 'coinbase', 'oanda', 'paper', 'sim2'])('accepts %s', (text) => {
    expect(parseVenueId(text)).toBe(text);
    expect(isVenueId(text)).toBe(true);
  });

  it.each(['Binance', 'b', '2venue', 'coin-base', 'coin.base', '', 'a'.repeat(33)])('rejects %j', (text) => {
    expectInvalid(() => parseVenueId(text, 'order.venue'), 'order.venue', JSON.stringify(text.slice(0, 64)));
    expect(isVenueId(text)).toBe(false);
  });

  it('names the default field and rejects non-strings', () => {
    expectInvalid(() => parseVenueId(42), 'venueId', 'got number');
    expectInvalid(() => parseVenueId(null), 'venueId', 'got null');
  });

  it('lists the known venues', () => {
    expect(Object.values(Venues)).toEqual(['binanceus', 'coinbase', 'oanda', 'paper']);
  });
});

describe('SymbolId', () => {
  it.each(['BTCUSD', 'BTC-USD', 'EUR_USD', 'BTC/USD', 'BRK.B', 'X', '1INCH-USD', 'A'.repeat(32)])(
    'accepts %s',
    (text) => {
      expect(parseSymbolId(text)).toBe(text);
      expect(isSymbolId(text)).toBe(true);
    },
  );

  it.each(['btcusd', 'BTC USD', '-BTC', 'BTC-', 'BTC.', '', 'A'.repeat(33), 'BTC:USD'])(
    'rejects %j',
    (text) => {
      expectInvalid(() => parseSymbolId(text), 'symbol', JSON.stringify(text));
      expect(isSymbolId(text)).toBe(false);
    },
  );
});

describe('ClientOrderId', () => {
  it.each(['abc', 'ng-0123456789abcdef', '0b6f3c9e-5d1a-4f7e-9c2b-8a4d6e1f3a5b', 'A_b-9', 'x'.repeat(36)])(
    'accepts %s',
    (text) => {
      expect(parseClientOrderId(text)).toBe(text);
      expect(isClientOrderId(text)).toBe(true);
    },
  );

  it.each(['', 'x'.repeat(37), 'a/b', 'a.b', 'a:b', 'a b', 'é'])('rejects %j', (text) => {
    const field = 'request.clientOrderId';
    expectInvalid(() => parseClientOrderId(text, field), field, JSON.stringify(text));
    expect(isClientOrderId(text)).toBe(false);
  });

  it('is accepted by the Binance pattern, so every venue takes it', () => {
    const binance = /^[.A-Z:/a-z0-9_-]{1,36}$/;
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), (text) => {
        if (isClientOrderId(text)) expect(binance.test(text) && text.length <= 128).toBe(true);
      }),
    );
  });

  it('generates prefixed, valid, distinct ids', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newClientOrderId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) {
      expect(isClientOrderId(id)).toBe(true);
      expect(id).toMatch(/^ng-[0-9a-f]{32}$/);
    }
  });

  it('is deterministic given the random source', () => {
    const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => i * 17);
    expect(newClientOrderId(bytes)).toBe(`${CLIENT_ORDER_ID_PREFIX}00112233445566778899aabbccddeeff`);
    expect(() => newClientOrderId(() => new Uint8Array(3))).toThrow(/16/);
  });
});

describe('VenueOrderId and TradeId', () => {
  it.each(['12345678', '0b6f3c9e-5d1a-4f7e-9c2b-8a4d6e1f3a5b', 'x'.repeat(64), '~!@#'])(
    'accept %s',
    (text) => {
      expect(parseVenueOrderId(text)).toBe(text);
      expect(parseTradeId(text)).toBe(text);
      expect(isVenueOrderId(text) && isTradeId(text)).toBe(true);
    },
  );

  it.each(['', ' ', 'a b', 'x'.repeat(65), 'tab\t', 'é'])('reject %j', (text) => {
    const quoted = JSON.stringify(text.slice(0, 64));
    expectInvalid(() => parseVenueOrderId(text), 'venueOrderId', quoted);
    expectInvalid(() => parseTradeId(text, 'fill.tradeId'), 'fill.tradeId', quoted);
    expect(isVenueOrderId(text) || isTradeId(text)).toBe(false);
  });

  it('rejects numbers: venue ids are carried as text', () => {
    expectInvalid(() => parseVenueOrderId(12345), 'venueOrderId', 'got number');
  });
});

describe('AccountId, UserId and OrderId', () => {
  const uuid = '0b6f3c9e-5d1a-4f7e-9c2b-8a4d6e1f3a5b';

  it('accepts a UUID in any case and returns it lowercase', () => {
    expect(parseAccountId(uuid.toUpperCase())).toBe(uuid);
    expect(parseUserId(uuid)).toBe(uuid);
    expect(parseOrderId(uuid)).toBe(uuid);
    expect(isAccountId(uuid) && isUserId(uuid) && isOrderId(uuid)).toBe(true);
    expect(isAccountId(uuid.toUpperCase())).toBe(false);
  });

  it('accepts random UUIDs', () => {
    fc.assert(
      fc.property(fc.uuid(), (text) => {
        fc.pre(
          text !== '00000000-0000-0000-0000-000000000000' && text !== 'ffffffff-ffff-ffff-ffff-ffffffffffff',
        );
        expect(isUserId(parseUserId(text))).toBe(true);
      }),
    );
  });

  it.each([
    '',
    'not-a-uuid',
    '0b6f3c9e5d1a4f7e9c2b8a4d6e1f3a5b',
    `{${uuid}}`,
    `${uuid} `,
    '00000000-0000-0000-0000-000000000000',
    'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
  ])('rejects %j', (text) => {
    expectInvalid(() => parseAccountId(text), 'accountId', JSON.stringify(text));
    expectInvalid(() => parseUserId(text, 'claims.sub'), 'claims.sub', JSON.stringify(text));
    expectInvalid(() => parseOrderId(text), 'orderId', JSON.stringify(text));
  });

  it('generates order ids', () => {
    const id = newOrderId();
    expect(isOrderId(id)).toBe(true);
    expect(newOrderId()).not.toBe(id);
  });

  it('keeps the brands apart', () => {
    const user: UserId = parseUserId(uuid);
    // @ts-expect-error a UserId is not an AccountId
    const account: AccountId = user;
    // @ts-expect-error a plain string is not a UserId
    const plain: UserId = uuid;
    expect([account, plain]).toEqual([uuid, uuid]);
  });
});

describe('error messages', () => {
  it('cut long values short', () => {
    const long = 'Q'.repeat(500);
    expectInvalid(() => parseVenueId(long), 'venueId', '(500 characters)');
  });
});
