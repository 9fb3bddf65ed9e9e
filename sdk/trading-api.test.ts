import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ProtoSide, ProtoType } from './internal.ts';
import { placeOrderRequest } from './trading-api.ts';
import type { PlaceOrderInput } from './types.ts';

const limitBuy: PlaceOrderInput = {
  accountId: '6f1c2b7e-1d1a-4a6b-9a55-2f3f6c1d9e01',
  instrumentId: 'BTC-USD.paper',
  side: 'BUY',
  type: 'LIMIT',
  quantity: '0.010',
  price: '50000.00',
};

function fieldOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof InvalidArgumentError) return error.field;
    throw error;
  }
  throw new Error('no InvalidArgumentError');
}

describe('placeOrderRequest', () => {
  it('sends decimals exactly as written and the instrument split into symbol and venue', () => {
    const request = placeOrderRequest({ ...limitBuy, clientOrderId: 'my-order-1' }, true);
    expect(request).toMatchObject({
      instrumentId: { symbol: 'BTC-USD', venue: 'paper' },
      side: ProtoSide.ORDER_SIDE_BUY,
      type: ProtoType.ORDER_TYPE_LIMIT,
      quantity: { value: '0.010' },
      price: { value: '50000.00' },
      stopPrice: undefined,
      clientOrderId: 'my-order-1',
    });
  });

  it('assigns a client order id when asked to (which makes the call retryable), and none otherwise', () => {
    expect(placeOrderRequest(limitBuy, true).clientOrderId).toMatch(/^ng-[0-9a-f]{32}$/);
    expect(placeOrderRequest(limitBuy, false).clientOrderId).toBe('');
  });

  it('refuses bad input before sending, naming the field as the .proto does', () => {
    expect(fieldOf(() => placeOrderRequest({ ...limitBuy, quantity: '1e3' }, true))).toBe('quantity');
    expect(fieldOf(() => placeOrderRequest({ ...limitBuy, price: '12,5' }, true))).toBe('price');
    expect(fieldOf(() => placeOrderRequest({ ...limitBuy, instrumentId: 'BTCUSD' }, true))).toBe(
      'instrument_id',
    );
    expect(fieldOf(() => placeOrderRequest({ ...limitBuy, clientOrderId: 'has space' }, true))).toBe(
      'client_order_id',
    );
    expect(fieldOf(() => placeOrderRequest({ ...limitBuy, side: 'HOLD' as 'BUY' }, true))).toBe('side');
  });
});
