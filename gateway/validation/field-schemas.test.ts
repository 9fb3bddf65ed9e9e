import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { placeOrderSchema } from '../services/order-request-schema.ts';
import { validateRequest } from './validate-request.ts';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const schema = placeOrderSchema(() => NOW);
const limit = {
  accountId: '0B6F3C9E-5D1A-4F7E-9C2B-8A4D6E1F3A5B',
  instrumentId: { symbol: 'BTC-USD', venue: 'paper' },
  side: 'ORDER_SIDE_BUY',
  type: 'ORDER_TYPE_LIMIT',
  quantity: { value: '0.010' },
  price: { value: '50000.00' },
};

function fieldOf(json: unknown): string {
  try {
    validateRequest(schema, json);
  } catch (error) {
    if (error instanceof InvalidArgumentError) return error.field;
    throw error;
  }
  return 'valid';
}

describe('PlaceOrderRequest validation', () => {
  it('accepts a limit order and lower-cases the account id', () => {
    expect(validateRequest(schema, limit)).toMatchObject({
      accountId: '0b6f3c9e-5d1a-4f7e-9c2b-8a4d6e1f3a5b',
    });
  });

  it('names the offending field as the .proto does', () => {
    expect(fieldOf({ ...limit, quantity: { value: '1e5' } })).toBe('quantity.value');
    expect(fieldOf({ ...limit, quantity: { value: '0' } })).toBe('quantity.value');
    expect(fieldOf({ ...limit, quantity: { value: '0.0000000000000000001' } })).toBe('quantity.value');
    expect(fieldOf({ ...limit, price: { value: '-1' } })).toBe('price.value');
    expect(fieldOf({ ...limit, instrumentId: { symbol: 'btc-usd', venue: 'paper' } })).toBe(
      'instrument_id.symbol',
    );
    expect(fieldOf({ ...limit, accountId: 'nope' })).toBe('account_id');
    expect(fieldOf({ ...limit, side: 'UNRECOGNIZED' })).toBe('side');
    expect(fieldOf({ ...limit, clientOrderId: 'a/b' })).toBe('client_order_id');
    expect(fieldOf({ ...limit, quantitty: { value: '1' } })).toBe('quantitty');
    expect(fieldOf([])).toBe('request');
  });

  it('checks the rules between fields', () => {
    const { price: _price, ...withoutPrice } = limit;
    expect(fieldOf(withoutPrice)).toBe('price');
    expect(fieldOf({ ...limit, type: 'ORDER_TYPE_MARKET' })).toBe('price');
    expect(fieldOf({ ...limit, type: 'ORDER_TYPE_STOP_LIMIT' })).toBe('stop_price');
    expect(fieldOf({ ...limit, timeInForce: 'TIME_IN_FORCE_GTD' })).toBe('expire_time');
    expect(fieldOf({ ...limit, timeInForce: 'TIME_IN_FORCE_GTD', expireTime: '2025-12-31T00:00:00Z' })).toBe(
      'expire_time',
    );
    expect(fieldOf({ ...limit, timeInForce: 'TIME_IN_FORCE_GTD', expireTime: '2026-02-01T00:00:00Z' })).toBe(
      'valid',
    );
    expect(fieldOf({ ...withoutPrice, type: 'ORDER_TYPE_MARKET', postOnly: true })).toBe('post_only');
    expect(fieldOf({ ...withoutPrice, type: 'ORDER_TYPE_MARKET', timeInForce: 'TIME_IN_FORCE_GTC' })).toBe(
      'time_in_force',
    );
  });
});
