import { FixedDecimal, Quantity } from '../../domain/values/index.ts';
import type { PaperOrder } from './paper-order.ts';
import type { WorkingOrder } from './working-order.ts';

/** An immutable view of a working order as it is now. */
export function orderSnapshot(order: WorkingOrder): PaperOrder {
  const rules = order.instrument.rules;
  const filled = order.filled;
  const own = order.quantityObj;
  // A filled order's filled quantity is its own (immutable) Quantity when that is at the instrument's
  // precision; a buy by quote amount has none (`quantityObj` is then undefined at run time).
  const filledQuantity =
    filled === 0n
      ? order.instrument.zeroQuantity
      : filled === order.quantity &&
          !order.isByQuote &&
          own !== undefined &&
          own.precision === rules.quantityPrecision
        ? own
        : Quantity.fromRaw(filled, rules.quantityPrecision);
  const cumQuote = order.cumulativeQuote();
  return {
    orderId: order.orderId,
    clientOrderId: order.clientOrderId,
    accountId: order.account.id,
    instrumentId: rules.id,
    side: order.side,
    type: order.type,
    timeInForce: order.timeInForce,
    price: order.priceObj,
    stopPrice: order.stopObj,
    // A buy by quote amount has bought exactly what it has filled so far.
    quantity: order.isByQuote ? filledQuantity : order.quantityObj,
    quoteQuantity: order.quoteObj,
    filledQuantity,
    cumulativeQuote:
      cumQuote === 0n
        ? order.instrument.zeroNotional
        : FixedDecimal.fromRaw(cumQuote, rules.notionalPrecision),
    status: order.status,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    postOnly: order.postOnly,
    triggered: order.triggered,
  };
}
