import { describe, expect, it } from 'vitest';
import { FixedDecimal } from '../../../domain/values/index.ts';
import { createLogger } from '../../../observability/index.ts';
import { MatchingEngine } from '../../paper/index.ts';
import { FaultInjector } from '../faults.ts';
import { MarginAccount } from './account.ts';
import { simInstrument } from './common/instruments.ts';
import type { OandaSimState } from './common/sim-state.ts';
import { TransactionLog } from './common/transaction-log.ts';
import { SimOrders } from './sim-orders.ts';

function simOrders(closedKept: number): { orders: SimOrders; state: OandaSimState } {
  const logger = createLogger({ level: 'silent', name: 'oanda-sim-test' });
  const instrument = simInstrument('EUR_USD');
  const instruments = new Map([[instrument.name, instrument]]);
  const now = (): number => 1_700_000_000_000;
  const engine = new MatchingEngine({
    instruments: [instrument.spec],
    makerFeeRate: FixedDecimal.zero(),
    takerFeeRate: FixedDecimal.zero(),
    clock: now,
  });
  for (const asset of [instrument.base, instrument.quote]) engine.deposit('acc', asset, '1000000000');
  const state: OandaSimState = {
    engine,
    instruments,
    token: 't',
    accountId: 'acc',
    account: new MarginAccount({
      currency: 'USD',
      balance: FixedDecimal.parse('100000'),
      instruments,
      engine,
      logger,
    }),
    log: new TransactionLog({ accountID: 'acc' }),
    faults: new FaultInjector(),
    halted: new Set(),
    accepted: new Map(),
    now,
  };
  return { orders: new SimOrders(state, logger, closedKept), state };
}

function limitBuy(orders: SimOrders, state: OandaSimState, clientId: string) {
  const instrument = state.instruments.get('EUR_USD');
  if (instrument === undefined) throw new Error('no EUR_USD');
  return orders.create({
    clientId,
    instrument,
    type: 'LIMIT',
    units: FixedDecimal.parse('100'),
    timeInForce: 'GTC',
    price: '1.00000',
    priceBound: undefined,
    expiresAt: undefined,
    positionFill: 'DEFAULT',
    wire: {},
  });
}

describe('OANDA simulator orders', () => {
  it('keeps pending orders and the newest closed ones, and forgets older closed ones entirely', () => {
    const { orders, state } = simOrders(2);
    const ids = ['c0', 'c1', 'c2', 'c3'].map((c) => limitBuy(orders, state, c).create.id);
    const pending = limitBuy(orders, state, 'open').create.id;
    for (const c of ['c0', 'c1', 'c2', 'c3']) {
      const order = orders.find(`@${c}`);
      if (order === undefined) throw new Error(`no order ${c}`);
      orders.cancelByClient(order);
    }
    // The two oldest closed orders are gone by id, by client id and from the accepted counts.
    expect(orders.find(ids[0] as string)).toBeUndefined();
    expect(orders.find('@c1')).toBeUndefined();
    expect(state.accepted.has('c0')).toBe(false);
    expect(orders.find(ids[3] as string)?.state).toBe('CANCELLED');
    expect(orders.find('@c2')?.state).toBe('CANCELLED');
    expect(state.accepted.get('c3')).toBe(1);
    expect(orders.find(pending)?.state).toBe('PENDING');
    expect(orders.pendingWithClientId('open')).toBe(true);
    expect(orders.all()).toHaveLength(3);
  });

  it('finds the newest order with a client id, and refuses none once it is closed', () => {
    const { orders, state } = simOrders(10);
    const first = limitBuy(orders, state, 'same').create.id;
    const firstOrder = orders.find(first);
    if (firstOrder === undefined) throw new Error('no first order');
    orders.cancelByClient(firstOrder);
    expect(orders.pendingWithClientId('same')).toBe(false);
    const second = limitBuy(orders, state, 'same').create.id;
    expect(orders.find('@same')?.id).toBe(second);
    expect(state.accepted.get('same')).toBe(2);
  });
});
