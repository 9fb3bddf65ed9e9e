import { FixedDecimal } from '../../../../domain/values/index.ts';
import type { EngineEvent, PaperFill } from '../../../paper/index.ts';
import { clientKey } from './sim-state.ts';
import type { CoinbaseSimState, SimOrderRecord } from './sim-state.ts';

/**
 * Keeps the order records current from the engine's events (latest order view, fills with their
 * quote-currency commission). Subscribed before the stream hub, so frames see the updated record.
 */
export function recordEngineEvents(state: CoinbaseSimState): () => void {
  return state.engine.subscribe((event: EngineEvent) => {
    if (event.kind !== 'order') return;
    const record = state.byClientId.get(clientKey(event.accountId, event.order.clientOrderId));
    if (record === undefined) return;
    record.last = event.order;
    if (event.fill !== undefined) {
      record.fills.push(event.fill);
      record.commissions.push(commission(record, event.fill));
    }
  });
}

/** The engine charges the asset received (base on a buy); Coinbase reports commission in quote. */
function commission(record: SimOrderRecord, fill: PaperFill): FixedDecimal {
  const fee = FixedDecimal.from(fill.fee);
  return record.side === 'BUY' ? fee.mul(fill.price) : fee;
}

/** Cancels GTD orders whose end_time has passed; they then read as EXPIRED. Returns how many. */
export function sweepExpired(state: CoinbaseSimState): number {
  const now = state.now();
  let expired = 0;
  for (const record of state.orders.values()) {
    if (record.endTime === undefined || record.endTime > now || record.expired) continue;
    const o = record.last;
    if (o === undefined || (o.status !== 'NEW' && o.status !== 'PARTIALLY_FILLED')) continue;
    record.expired = true;
    const result = state.engine.cancel(record.accountId, { orderId: o.orderId }, record.productId);
    if (result.cancelled) {
      record.last = result.order;
      expired++;
    }
  }
  return expired;
}
