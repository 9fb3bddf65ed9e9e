import type { EngineEvent, ForgottenOrder } from '../../../paper/index.ts';
import { compactFill } from '../../compact-fill.ts';
import { clientKey } from './sim-state.ts';
import type { CoinbaseSimState, SimOrderRecord } from './sim-state.ts';

/**
 * Keeps the order records current from the engine's events (latest order view, fills). Subscribed
 * before the stream hub, so frames see the updated record.
 */
export function recordEngineEvents(state: CoinbaseSimState): () => void {
  return state.engine.subscribe((event: EngineEvent) => {
    if (event.kind !== 'order') return;
    const record = state.byClientId.get(clientKey(event.accountId, event.order.clientOrderId));
    if (record === undefined) return;
    record.last = event.order;
    if (event.fill !== undefined) record.fills.push(compactFill(event.fill));
  });
}

/** Orders closed by the venue without the engine (FOK) kept findable: about the engine's short window. */
export const KILLED_KEPT = 1_024;

/** Cancels GTD orders whose end_time has passed; they then read as EXPIRED. Returns how many. */
export function sweepExpired(state: CoinbaseSimState): number {
  const now = state.now();
  let expired = 0;
  for (const record of state.gtdOpen) {
    const o = record.last;
    if (o === undefined || (o.status !== 'NEW' && o.status !== 'PARTIALLY_FILLED') || record.expired) {
      state.gtdOpen.delete(record);
      continue;
    }
    if (record.endTime === undefined || record.endTime > now) continue;
    state.gtdOpen.delete(record);
    record.expired = true;
    const result = state.engine.cancel(record.accountId, { orderId: o.orderId }, record.productId);
    if (result.cancelled) {
      record.last = result.order;
      expired++;
    }
  }
  return expired;
}

/** Stops keeping an order: it is then unknown to every route, as the engine's forgotten orders are. */
function forget(state: CoinbaseSimState, record: SimOrderRecord): void {
  state.orders.delete(record.orderId);
  state.gtdOpen.delete(record);
  const key = clientKey(record.accountId, record.clientOrderId);
  if (state.byClientId.get(key) !== record) return;
  state.byClientId.delete(key);
  const count = state.accepted.get(key) ?? 0;
  if (count > 1) state.accepted.set(key, count - 1);
  else state.accepted.delete(key);
}

/**
 * The engine forgot a closed order (`onForget`): the record of the API order it was, if any, goes
 * too. An order closed in a command is not forgotten in that same command while the engine retains
 * more closed orders than one command closes, so its events never find the record gone.
 */
export function forgetEngineOrder(state: CoinbaseSimState, forgotten: ForgottenOrder): void {
  const record = state.byClientId.get(clientKey(forgotten.accountId, forgotten.clientOrderId));
  if (record?.last?.orderId === forgotten.orderId) forget(state, record);
}

/** Keeps an order the venue closed without the engine, dropping the oldest beyond KILLED_KEPT. */
export function keepKilled(state: CoinbaseSimState, record: SimOrderRecord): void {
  state.killed.push(record);
  if (state.killed.length > KILLED_KEPT) forget(state, state.killed.shift() as SimOrderRecord);
}
