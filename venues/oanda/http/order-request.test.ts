import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import {
  parseAccountId,
  parseClientOrderId,
  parseInstrumentId,
  parseOrderId,
} from '../../../domain/index.ts';
import type { OrderRequest } from '../../../domain/index.ts';
import { Price, Quantity } from '../../../domain/values/index.ts';
import { parseInstrument } from '../common/parse-instrument.ts';
import { toOrderSpec } from './order-request.ts';

const EUR_USD = parseInstrument({
  name: 'EUR_USD',
  type: 'CURRENCY',
  displayPrecision: 5,
  tradeUnitsPrecision: 0,
  pipLocation: -4,
  minimumTradeSize: '1',
  maximumOrderUnits: '100000000',
  marginRate: '0.02',
});

function request(over: Partial<OrderRequest>): OrderRequest {
  return {
    id: parseOrderId('0b6f3c9e-5d1a-4f7e-9c2b-8a4d6e1f3a5b'),
    clientOrderId: parseClientOrderId('ng-1'),
    accountId: parseAccountId('4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f'),
    instrumentId: parseInstrumentId('EUR_USD.OANDA'),
    side: 'BUY',
    type: 'MARKET',
    timeInForce: 'FOK',
    quantity: Quantity.parse('1000'),
    createdAt: 0,
    ...over,
  };
}

describe('toOrderSpec', () => {
  it('carries the side in the sign of units and the client order id in clientExtensions', () => {
    expect(toOrderSpec(request({ side: 'SELL', timeInForce: 'IOC' }), EUR_USD)).toEqual({
      type: 'MARKET',
      instrument: 'EUR_USD',
      units: '-1000',
      timeInForce: 'IOC',
      clientOrderId: 'ng-1',
    });
  });

  it('maps LIMIT GTD, DAY, STOP and STOP_LIMIT, and reduceOnly', () => {
    const gtd = toOrderSpec(
      request({
        type: 'LIMIT',
        timeInForce: 'GTD',
        price: Price.parse('1.1'),
        expireAt: Date.UTC(2018, 6, 2, 4),
      }),
      EUR_USD,
    );
    expect(gtd).toMatchObject({ type: 'LIMIT', price: '1.10000', gtdTime: '2018-07-02T04:00:00.000000000Z' });
    expect(
      toOrderSpec(request({ type: 'LIMIT', timeInForce: 'DAY', price: Price.parse('1.1') }), EUR_USD)
        .timeInForce,
    ).toBe('GFD');
    expect(
      toOrderSpec(request({ type: 'STOP', timeInForce: 'GTC', stopPrice: Price.parse('1.2') }), EUR_USD),
    ).toMatchObject({
      type: 'STOP',
      price: '1.20000',
    });
    expect(
      toOrderSpec(
        request({
          type: 'STOP_LIMIT',
          timeInForce: 'GTC',
          stopPrice: Price.parse('1.2'),
          price: Price.parse('1.201'),
        }),
        EUR_USD,
      ),
    ).toMatchObject({ type: 'STOP', price: '1.20000', priceBound: '1.20100' });
    expect(toOrderSpec(request({ reduceOnly: true }), EUR_USD).positionFill).toBe('REDUCE_ONLY');
  });

  it.each([
    [
      'a price beyond displayPrecision',
      { type: 'LIMIT', timeInForce: 'GTC', price: Price.parse('1.100001') },
    ],
    ['units beyond tradeUnitsPrecision', { quantity: Quantity.parse('10.5') }],
    ['units below the minimum trade size', { quantity: Quantity.parse('0') }],
    ['a GTC market order', { timeInForce: 'GTC' }],
    ['a post-only order', { type: 'LIMIT', timeInForce: 'GTC', price: Price.parse('1.1'), postOnly: true }],
  ] as const)('refuses %s before sending', (_name, over) => {
    expect(() => toOrderSpec(request(over as Partial<OrderRequest>), EUR_USD)).toThrow(InvalidArgumentError);
  });
});
