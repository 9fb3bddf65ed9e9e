import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.ts';
import type { ClientOrderId } from '../identifiers/index.ts';
import { Price, Quantity } from '../values/index.ts';
import { exactNotional } from './notional.ts';
import { createOrder, isOrderOpen, remainingQuantity } from './order.ts';
import { OrderSide, parseOrderSide } from './order-side.ts';
import { OrderStatus, isTerminalOrderStatus, parseOrderStatus } from './order-status.ts';
import { ORDER_TRANSITIONS, canApplyOrderEvent } from './order-transitions.ts';
import { OrderType, parseOrderType } from './order-type.ts';
import { TimeInForce, parseTimeInForce } from './time-in-force.ts';
import { T0, limitOrder, limitOrderRequest } from './test-fixtures.ts';
import type { OrderRequestChanges } from './test-fixtures.ts';

function invalidField(request: OrderRequestChanges): string {
  try {
    createOrder(limitOrderRequest(request));
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return (error as InvalidArgumentError).field;
  }
  throw new Error('expected createOrder to throw');
}

describe('createOrder', () => {
  it('creates a frozen NEW order with nothing filled', () => {
    const order = limitOrder({ reduceOnly: true });
    expect(order).toMatchObject({
      status: 'NEW',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      postOnly: false,
      reduceOnly: true,
      tradeIds: [],
      fees: [],
      createdAt: T0,
      updatedAt: T0,
    });
    expect(order.filledQuantity.toString()).toBe('0.00');
    expect(order.filledNotional.isZero()).toBe(true);
    expect(order.venueOrderId).toBeUndefined();
    expect('stopPrice' in order).toBe(false);
    expect(Object.isFrozen(order)).toBe(true);
    expect(isOrderOpen(order)).toBe(true);
    expect(remainingQuantity(order).toString()).toBe('1.00');
  });

  it('shares what every new order starts with instead of allocating it per order', () => {
    // A finished order an order manager keeps in memory would otherwise carry four objects of its
    // own for its empty fills (about 150 of its 750 bytes).
    const a = limitOrder();
    const b = limitOrder({ quantity: Quantity.parse('2.00') });
    const other = limitOrder({ quantity: Quantity.parse('2.000') });
    expect(b.fees).toBe(a.fees);
    expect(b.tradeIds).toBe(a.tradeIds);
    expect(b.filledNotional).toBe(a.filledNotional);
    expect(b.filledQuantity).toBe(a.filledQuantity);
    expect(other.filledQuantity).not.toBe(a.filledQuantity);
    expect(other.filledQuantity.toString()).toBe('0.000');
    expect(Object.isFrozen(a.fees) && Object.isFrozen(a.tradeIds)).toBe(true);
  });

  it('creates each order type with the price fields it uses', () => {
    const stop = Price.parse('95.00');
    expect(limitOrder({ type: 'MARKET', timeInForce: 'IOC', price: undefined }).type).toBe('MARKET');
    expect(limitOrder({ type: 'STOP', price: undefined, stopPrice: stop }).stopPrice).toBe(stop);
    expect(limitOrder({ type: 'STOP_LIMIT', stopPrice: stop }).price?.toString()).toBe('100.00');
    expect(limitOrder({ timeInForce: 'GTD', expireAt: T0 + 60_000 }).expireAt).toBe(T0 + 60_000);
    expect(limitOrder({ postOnly: true }).postOnly).toBe(true);
  });

  it.each<[string, OrderRequestChanges, string]>([
    ['zero quantity', { quantity: Quantity.parse('0') }, 'quantity'],
    ['a limit without price', { price: undefined }, 'price'],
    ['a market order with a price', { type: 'MARKET' }, 'price'],
    ['a zero price', { price: Price.parse('0.00') }, 'price'],
    ['a negative price', { price: Price.parse('-1') }, 'price'],
    ['a stop without stop price', { type: 'STOP', price: undefined }, 'stopPrice'],
    ['a limit with a stop price', { stopPrice: Price.parse('1') }, 'stopPrice'],
    ['a stop limit with a zero stop price', { type: 'STOP_LIMIT', stopPrice: Price.parse('0') }, 'stopPrice'],
    ['GTD without expiry', { timeInForce: 'GTD' }, 'expireAt'],
    ['GTC with expiry', { expireAt: T0 + 1 }, 'expireAt'],
    ['GTD expiring before creation', { timeInForce: 'GTD', expireAt: T0 }, 'expireAt'],
    ['post-only market', { type: 'MARKET', price: undefined, postOnly: true }, 'postOnly'],
    ['post-only IOC', { timeInForce: 'IOC', postOnly: true }, 'postOnly'],
    ['a bad side', { side: 'LONG' as OrderSide }, 'side'],
    ['a bad type', { type: 'ICEBERG' as OrderType }, 'type'],
    ['a bad time in force', { timeInForce: 'GFD' as TimeInForce }, 'timeInForce'],
    ['a bad client order id', { clientOrderId: 'a b' as ClientOrderId }, 'clientOrderId'],
    ['a fractional timestamp', { createdAt: 1.5 }, 'createdAt'],
  ])('refuses %s', (_name, request, field) => {
    expect(invalidField(request)).toBe(field);
  });
});

describe('order enums', () => {
  it('parse their values and name the field otherwise', () => {
    expect(parseOrderSide('SELL')).toBe(OrderSide.SELL);
    expect(parseOrderType('STOP_LIMIT')).toBe(OrderType.STOP_LIMIT);
    expect(parseTimeInForce('FOK')).toBe(TimeInForce.FOK);
    expect(parseOrderStatus('PENDING_CANCEL')).toBe(OrderStatus.PENDING_CANCEL);
    expect(() => parseOrderSide('buy', 'request.side')).toThrow(
      /request.side: must be one of BUY, SELL, got "buy"/,
    );
    expect(() => parseOrderType('toString')).toThrow(InvalidArgumentError);
    expect(() => parseTimeInForce(3)).toThrow(/got number/);
  });
});

describe('ORDER_TRANSITIONS', () => {
  it('has a row for every status, and terminal rows are empty', () => {
    expect(Object.keys(ORDER_TRANSITIONS).sort()).toEqual(Object.values(OrderStatus).sort());
    for (const status of Object.values(OrderStatus)) {
      const row = Object.keys(ORDER_TRANSITIONS[status]);
      expect(row.length === 0).toBe(isTerminalOrderStatus(status));
    }
  });

  it('answers canApplyOrderEvent from the table', () => {
    expect(canApplyOrderEvent('PENDING_CANCEL', 'FILLED')).toBe(true);
    expect(canApplyOrderEvent('PENDING_NEW', 'CANCEL_REQUESTED')).toBe(false);
    expect(canApplyOrderEvent('FILLED', 'FILLED')).toBe(false);
  });
});

describe('exactNotional', () => {
  it('multiplies exactly', () => {
    expect(exactNotional(Price.parse('0.0100'), Quantity.parse('0.00000100')).toString()).toBe(
      '0.000000010000',
    );
  });

  it('drops padded zeros when the padded product would be too long', () => {
    const notional = exactNotional(Price.parse('12345.6700000000'), Quantity.parse('0.1000000000'));
    expect(notional.toString()).toBe('1234.567');
  });

  it('still refuses a product that needs more than 18 decimals', () => {
    expect(() => exactNotional(Price.parse('0.0000000001'), Quantity.parse('0.0000000001'))).toThrow(
      /decimal places/,
    );
  });
});
