import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FixedDecimal, Price, Quantity } from '../../domain/values/index.ts';
import { ClosedOrder } from './closed-order.ts';
import type { MatchingEngine } from './matching-engine.ts';
import type { PaperOrder } from './paper-order.ts';
import { orderSnapshot } from './snapshots.ts';
import { BTCUSD, limit, market, testEngine } from './test-support.ts';
import type { WorkingOrder } from './working-order.ts';

/**
 * An engine whose closing orders are seen as they close: the working order's snapshot taken when its
 * compact record is filled, the answer every query of the closed order gave before records were compact.
 */
function recordingEngine(): { engine: MatchingEngine; atClose: Map<string, PaperOrder> } {
  const engine = testEngine();
  for (const account of ['maker', 'taker']) {
    engine.deposit(account, 'USD', '10000000');
    engine.deposit(account, 'BTC', '1000');
  }
  const atClose = new Map<string, PaperOrder>();
  const assign: (this: ClosedOrder, order: WorkingOrder) => ClosedOrder = Reflect.get(
    ClosedOrder.prototype,
    'assign',
  );
  vi.spyOn(ClosedOrder.prototype, 'assign').mockImplementation(function (
    this: ClosedOrder,
    order: WorkingOrder,
  ) {
    atClose.set(order.orderId, orderSnapshot(order));
    return assign.call(this, order);
  });
  return { engine, atClose };
}

function accepted(
  engine: MatchingEngine,
  accountId: string,
  cmd: Parameters<MatchingEngine['submit']>[1],
): PaperOrder {
  const result = engine.submit(accountId, cmd);
  if (!result.accepted) throw new Error(`refused: ${result.message}`);
  return result.order;
}

describe('ClosedOrder', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('answers every query of a closed order exactly as the order was when it closed', () => {
    const { engine, atClose } = recordingEngine();
    // Each shape a snapshot has: prices at fewer decimals than the tick, a filled order whose filled
    // quantity is its own, fills at two prices (a summed notional), partial fills, a buy by quote
    // amount, post-only, stops triggered and not, FOK, and times that differ from creation.
    const orders = [
      accepted(engine, 'maker', limit('SELL', '100.5', '0.50000')),
      accepted(engine, 'maker', limit('SELL', '100.75', '0.3')),
      accepted(engine, 'maker', limit('BUY', '99.99', '1', { postOnly: true })),
      accepted(
        engine,
        'maker',
        limit('SELL', '105.00', '0.1', { type: 'STOP_LIMIT', stopPrice: Price.parse('99.5') }),
      ),
      accepted(engine, 'maker', market('SELL', '0.2', { type: 'STOP', stopPrice: Price.parse('90') })),
    ];
    orders.push(accepted(engine, 'taker', limit('BUY', '101.00', '0.9', { timeInForce: 'IOC' })));
    orders.push(accepted(engine, 'maker', limit('SELL', '102.00', '0.25')));
    orders.push(accepted(engine, 'taker', limit('BUY', '102.00', '0.25', { timeInForce: 'FOK' })));
    orders.push(accepted(engine, 'maker', limit('SELL', '103.00', '5')));
    orders.push(
      accepted(
        engine,
        'taker',
        market('BUY', '0', { quoteQuantity: FixedDecimal.parse('150.00'), quantity: Quantity.zero() }),
      ),
    );
    for (const order of orders) {
      if (!atClose.has(order.orderId)) {
        expect(engine.cancel(order.accountId, { orderId: order.orderId }, BTCUSD).cancelled).toBe(true);
      }
    }
    const kinds = new Set<string>();
    for (const order of orders) {
      const closed = atClose.get(order.orderId);
      if (closed === undefined) throw new Error(`order ${order.orderId} did not close`);
      kinds.add(`${closed.type}/${closed.status}`);
      expect(engine.getOrder(order.accountId, { orderId: order.orderId })).toStrictEqual(closed);
      expect(engine.getOrder(order.accountId, { clientOrderId: order.clientOrderId }, BTCUSD)).toStrictEqual(
        closed,
      );
      expect(engine.cancel(order.accountId, { orderId: order.orderId }, BTCUSD)).toEqual({
        cancelled: false,
        reason: 'ALREADY_CLOSED',
        message: `the order is already ${closed.status}`,
      });
    }
    // The shapes meant above are there: a partial fill expired, fills at two prices, a buy by quote.
    expect([...kinds].sort()).toEqual([
      'LIMIT/CANCELED',
      'LIMIT/EXPIRED',
      'LIMIT/FILLED',
      'MARKET/FILLED',
      'STOP/CANCELED',
      'STOP_LIMIT/CANCELED',
    ]);
    const at = (i: number): PaperOrder => atClose.get((orders[i] as PaperOrder).orderId) as PaperOrder;
    expect(at(0).price?.toString()).toBe('100.5');
    expect(at(3).stopPrice?.toString()).toBe('99.5');
    expect(at(2).postOnly).toBe(true);
    expect(at(5).cumulativeQuote.toString()).toBe('80.4750000');
    expect(at(9).quoteQuantity?.toString()).toBe('150.00');
    expect(at(9).updatedAt).toBeGreaterThanOrEqual(at(9).createdAt);
    expect(at(2).updatedAt).toBeGreaterThan(at(2).createdAt);
  });

  it('keeps a closed order in about 300 bytes (≈ 490 as a working order)', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const count = 20_000;
    const engine = testEngine({ retainClosedOrders: count });
    engine.deposit('a', 'USD', '100000000000');
    gc();
    gc();
    const before = getHeapStatistics().used_heap_size;
    // Each command parsed here, as a venue adapter does: what the engine keeps of it counts.
    for (let i = 0; i < count; i++) {
      const cmd = limit('BUY', (100 + (i % 50) / 100).toFixed(2), `0.0${String(1_000 + (i % 999))}`);
      const order = accepted(engine, 'a', cmd);
      engine.cancel('a', { orderId: order.orderId }, BTCUSD);
    }
    gc();
    gc();
    const perOrder = (getHeapStatistics().used_heap_size - before) / count;
    // ≈ 290 bytes measured (client id and its table entry included); ≈ 490 when the working order was kept.
    expect(perOrder).toBeLessThan(380);
    expect(engine.getOrder('a', { orderId: '1' })?.status).toBe('CANCELED');
  });
});
