import type { ClientOrderId, OrderRequest } from '../../../domain/index.ts';
import { Quantity } from '../../../domain/values/index.ts';
import type { PlacementResult, VenueFill } from '../../venue-connector.ts';
import type { OandaInstrumentInfo } from '../common/instrument-info.ts';
import type { OandaOrder } from '../common/order.ts';
import type { OrderCancelTransaction, OrderFillTransaction } from '../common/transaction.ts';
import type { OandaOrderCreateResult } from '../http/models.ts';
import {
  applyCancel,
  applyFill,
  fillOf,
  quantityOf,
  sideOf,
  snapshotOf,
  trackOrder,
} from './execution-mapping.ts';
import type { TrackedOrder } from './execution-mapping.ts';

/** An order's fills and cancel, read from its transactions. */
export interface OrderHistory {
  readonly fills: readonly OrderFillTransaction[];
  readonly cancel?: OrderCancelTransaction;
}

export interface Placement {
  readonly result: PlacementResult;
  /** The order to track from now on (absent when nothing exists on the venue). */
  readonly tracked?: TrackedOrder;
}

export function sumFills(fills: readonly OrderFillTransaction[]): Quantity {
  let total = Quantity.zero();
  for (const f of fills) total = total.add(quantityOf(f.units));
  return total;
}

/**
 * A create answer as a placement. A reject is `rejected`; so is an order created and cancelled at
 * once without any fill (FOK not fillable, INSUFFICIENT_MARGIN, MARKET_HALTED ...): it never worked
 * on the venue. A partial fill then cancel is `accepted`, CANCELLED. `known` is the order as the
 * transaction stream may already have reported it; the answer's fill is counted once either way.
 */
export function placementFromCreate(
  answer: OandaOrderCreateResult,
  info: OandaInstrumentInfo,
  request: OrderRequest,
  homeCurrency: string,
  known: TrackedOrder | undefined,
): Placement {
  const clientOrderId = request.clientOrderId;
  if (answer.reject !== undefined || answer.create === undefined) {
    const reason = answer.reject?.rejectReason ?? answer.errorCode ?? 'REJECTED';
    return { result: { kind: 'rejected', clientOrderId, reason } };
  }
  if (answer.cancel !== undefined && answer.fill === undefined) {
    return { result: { kind: 'rejected', clientOrderId, reason: answer.cancel.reason } };
  }
  const create = answer.create;
  const tracked: TrackedOrder = known ?? {
    instrumentId: info.instrument.id,
    clientOrderId,
    venueOrderId: create.id,
    side: sideOf(create.units),
    type: request.type,
    quantity: quantityOf(create.units),
    ...(request.price === undefined ? {} : { price: request.price }),
    ...(request.stopPrice === undefined ? {} : { stopPrice: request.stopPrice }),
    filled: Quantity.zero(),
    status: 'ACKNOWLEDGED',
    updatedAt: create.time,
    fillIds: new Set(),
  };
  const fills: VenueFill[] = [];
  if (answer.fill !== undefined) {
    fills.push(fillOf(answer.fill, info.instrument.id, clientOrderId, homeCurrency));
    applyFill(tracked, answer.fill);
  }
  if (answer.cancel !== undefined) applyCancel(tracked, answer.cancel.reason, answer.cancel.time);
  return { result: { kind: 'accepted', order: snapshotOf(tracked), fills }, tracked };
}

/** A placement learnt by querying after an unknown outcome: the order and its transactions. */
export function placementFromHistory(
  order: OandaOrder,
  info: OandaInstrumentInfo,
  clientOrderId: ClientOrderId,
  history: OrderHistory,
  homeCurrency: string,
): Placement {
  const fills = history.fills.map((f) => fillOf(f, info.instrument.id, clientOrderId, homeCurrency));
  if (history.cancel !== undefined && fills.length === 0) {
    return { result: { kind: 'rejected', clientOrderId, reason: history.cancel.reason } };
  }
  const tracked = trackOrder(order, info, sumFills(history.fills), clientOrderId);
  for (const f of history.fills) tracked.fillIds.add(f.id);
  if (history.cancel !== undefined) applyCancel(tracked, history.cancel.reason, history.cancel.time);
  return { result: { kind: 'accepted', order: snapshotOf(tracked), fills }, tracked };
}
