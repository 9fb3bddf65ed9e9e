import { describe, expect, it } from 'vitest';
import { FixedDecimal } from '../../../../domain/values/index.ts';
import { MatchingEngine } from '../../../paper/index.ts';
import { FaultInjector } from '../../faults.ts';
import { KILLED_KEPT, keepKilled, sweepExpired } from './order-records.ts';
import { simProduct } from './products.ts';
import { clientKey } from './sim-state.ts';
import type { CoinbaseSimState, SimOrderRecord } from './sim-state.ts';

function simState(now: () => number): CoinbaseSimState {
  const product = simProduct('BTC-USD');
  return {
    engine: new MatchingEngine({
      instruments: [product.spec],
      makerFeeRate: FixedDecimal.parse('0.004'),
      takerFeeRate: FixedDecimal.parse('0.006'),
      clock: now,
    }),
    products: new Map([[product.spec.id, product]]),
    keys: new Map(),
    faults: new FaultInjector(),
    now,
    newUuid: () => 'unused',
    orders: new Map(),
    byClientId: new Map(),
    accepted: new Map(),
    gtdOpen: new Set(),
    killed: [],
    requestsPerSecond: 30,
  };
}

function record(n: number, endTime?: number): SimOrderRecord {
  return {
    orderId: `order-${n}`,
    accountId: 'a',
    clientOrderId: `client-${n}`,
    productId: 'BTC-USD',
    side: 'BUY',
    kind: 'limit_limit_fok',
    configuration: {},
    postOnly: false,
    createdAt: 1,
    endTime,
    last: undefined,
    closedStatus: 'CANCELLED',
    expired: false,
    fills: [],
  };
}

/** Registers a record as createOrder does. */
function add(state: CoinbaseSimState, r: SimOrderRecord): void {
  const key = clientKey(r.accountId, r.clientOrderId);
  state.byClientId.set(key, r);
  state.orders.set(r.orderId, r);
  state.accepted.set(key, (state.accepted.get(key) ?? 0) + 1);
}

describe('Coinbase simulator order records', () => {
  it('keeps the newest KILLED_KEPT orders the venue closed without the engine', () => {
    const state = simState(() => 1);
    for (let n = 0; n <= KILLED_KEPT; n++) {
      const r = record(n);
      add(state, r);
      keepKilled(state, r);
    }
    expect(state.orders.size).toBe(KILLED_KEPT);
    expect(state.orders.has('order-0')).toBe(false);
    expect(state.byClientId.has(clientKey('a', 'client-0'))).toBe(false);
    expect(state.accepted.has(clientKey('a', 'client-0'))).toBe(false);
    expect(state.orders.has(`order-${KILLED_KEPT}`)).toBe(true);
    expect(state.accepted.get(clientKey('a', `client-${KILLED_KEPT}`))).toBe(1);
  });

  it('sweeps only GTD orders that may be open, and lets go of closed ones', () => {
    const state = simState(() => 1_000);
    const closed = record(1, 500);
    state.gtdOpen.add(closed);
    expect(sweepExpired(state)).toBe(0);
    expect(state.gtdOpen.size).toBe(0);
  });
});
