import { z } from 'zod';
import {
  clientOrderId,
  decimal,
  enumName,
  instrumentId,
  timestamp,
  uuid,
} from '../validation/field-schemas.ts';

const side = enumName(['ORDER_SIDE_BUY', 'ORDER_SIDE_SELL']);
const type = enumName(['ORDER_TYPE_MARKET', 'ORDER_TYPE_LIMIT', 'ORDER_TYPE_STOP', 'ORDER_TYPE_STOP_LIMIT']);
const timeInForce = enumName([
  'TIME_IN_FORCE_GTC',
  'TIME_IN_FORCE_GTD',
  'TIME_IN_FORCE_IOC',
  'TIME_IN_FORCE_FOK',
  'TIME_IN_FORCE_DAY',
]);

const WITH_PRICE = new Set(['ORDER_TYPE_LIMIT', 'ORDER_TYPE_STOP_LIMIT']);
const WITH_STOP = new Set(['ORDER_TYPE_STOP', 'ORDER_TYPE_STOP_LIMIT']);

/** PlaceOrderRequest: field checks, then the rules between fields (price by type, GTD expiry, …). */
export function placeOrderSchema(now: () => number = Date.now): z.ZodType {
  return z
    .strictObject({
      accountId: uuid,
      instrumentId,
      side,
      type,
      timeInForce: timeInForce.optional(),
      quantity: decimal(),
      price: decimal().optional(),
      stopPrice: decimal().optional(),
      postOnly: z.boolean().optional(),
      reduceOnly: z.boolean().optional(),
      expireTime: timestamp.optional(),
      clientOrderId: clientOrderId.optional(),
    })
    .superRefine((order, ctx) => {
      const issue = (path: string, message: string) =>
        ctx.addIssue({ code: 'custom', path: [path], message });
      if (WITH_PRICE.has(order.type) && order.price === undefined)
        issue('price', `is required for ${order.type}`);
      if (!WITH_PRICE.has(order.type) && order.price !== undefined)
        issue('price', `must be absent for ${order.type}`);
      if (WITH_STOP.has(order.type) && order.stopPrice === undefined)
        issue('stopPrice', `is required for ${order.type}`);
      if (!WITH_STOP.has(order.type) && order.stopPrice !== undefined)
        issue('stopPrice', `must be absent for ${order.type}`);
      if (order.postOnly === true && order.type !== 'ORDER_TYPE_LIMIT')
        issue('postOnly', 'is only for ORDER_TYPE_LIMIT');
      if (order.timeInForce === 'TIME_IN_FORCE_GTD') {
        if (order.expireTime === undefined) issue('expireTime', 'is required for TIME_IN_FORCE_GTD');
        else if (Date.parse(order.expireTime) <= now()) issue('expireTime', 'must be in the future');
      } else if (order.expireTime !== undefined) {
        issue('expireTime', 'must be absent unless time_in_force is TIME_IN_FORCE_GTD');
      }
      if (
        order.type === 'ORDER_TYPE_MARKET' &&
        (order.timeInForce === 'TIME_IN_FORCE_GTC' || order.timeInForce === 'TIME_IN_FORCE_GTD')
      ) {
        issue('timeInForce', 'a market order cannot rest: use IOC or FOK');
      }
    });
}

/** Exactly one of order_id and client_order_id. */
export function orderReferenceSchema(): z.ZodType {
  return z
    .strictObject({
      accountId: uuid,
      orderId: uuid.optional(),
      clientOrderId: clientOrderId.optional(),
    })
    .superRefine((request, ctx) => {
      if ((request.orderId === undefined) === (request.clientOrderId === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: ['orderId'],
          message: 'give exactly one of order_id and client_order_id',
        });
      }
    });
}

export const orderStatus = enumName([
  'ORDER_STATUS_NEW',
  'ORDER_STATUS_PENDING_NEW',
  'ORDER_STATUS_ACKNOWLEDGED',
  'ORDER_STATUS_PARTIALLY_FILLED',
  'ORDER_STATUS_FILLED',
  'ORDER_STATUS_PENDING_CANCEL',
  'ORDER_STATUS_CANCELLED',
  'ORDER_STATUS_REJECTED',
  'ORDER_STATUS_EXPIRED',
]);
