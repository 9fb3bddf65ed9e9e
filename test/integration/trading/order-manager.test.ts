import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { venueClientOrderId } from '../../../actors/orders/venue-client-ids.ts';
import { NEVER_RECEIVED } from '../../../actors/orders/index.ts';
import {
  InvalidArgumentError,
  RiskRejectedError,
  emptyRiskLimits,
  parseAccountId,
  updateRiskLimits,
} from '../../../domain/index.ts';
import type { AccountId } from '../../../domain/index.ts';
import { waitFor } from '../../support/index.ts';
import type { TestDatabase } from '../../support/index.ts';
import {
  BTC,
  OUR_ACCOUNT,
  journalLength,
  migratedDatabase,
  paperVenue,
  startTrader,
  trade,
} from './trading-harness.ts';
import type { Trader } from './trading-harness.ts';

let database: TestDatabase;
const traders: Trader[] = [];
let accounts = 0;

function newAccount(): AccountId {
  accounts += 1;
  return parseAccountId(`00000000-0000-4000-8000-${String(accounts).padStart(12, '0')}`);
}

function track(trader: Trader): Trader {
  traders.push(trader);
  return trader;
}

beforeAll(async () => {
  database = await migratedDatabase();
});

afterAll(async () => {
  for (const trader of traders) await trader.stop();
  await database.drop();
});

async function metric(trader: Trader, name: string, labels: Record<string, string> = {}): Promise<number> {
  const values = (await trader.metrics.registry.getSingleMetric(name)?.get())?.values ?? [];
  return values
    .filter((v) => Object.entries(labels).every(([k, want]) => v.labels[k] === want))
    .reduce((sum, v) => sum + v.value, 0);
}

describe('order manager against the paper venue, journal in PostgreSQL', () => {
  it('runs a full lifecycle: place, partial fills, cancel; fills counted once', async () => {
    const venue = await paperVenue();
    const trader = track(startTrader(database, venue, newAccount()));
    const placed = await trader.place({ clientOrderId: 'life-1', quantity: '1.0000', price: '100.00' });
    expect(placed.status).toBe('ACKNOWLEDGED');
    expect(placed.venueOrderId).toBeDefined();
    await trade(venue, 'SELL', '0.2500', '100.00', 'cp-1');
    await trade(venue, 'SELL', '0.2500', '99.00', 'cp-2');
    await waitFor(async () => (await trader.get('life-1'))?.filledQuantity.toString() === '0.5000', 5_000);
    const cancelled = await trader.cancel('life-1');
    expect(['PENDING_CANCEL', 'CANCELLED']).toContain(cancelled.status);
    await waitFor(async () => (await trader.get('life-1'))?.status === 'CANCELLED', 5_000);
    const final = await trader.get('life-1');
    expect(final?.tradeIds).toHaveLength(2);
    expect(trader.fills.map((f) => f.quantity.toString())).toEqual(['0.2500', '0.2500']);
    // A reconciliation afterwards finds nothing to repair.
    const report = await trader.reconcile();
    expect(report.repairs).toEqual({});
  });

  it('reconciles open orders from the open-order list: no per-order query, fills read only when the venue filled more', async () => {
    const venue = await paperVenue();
    const calls = { getOrder: 0, orderFills: 0 };
    const endpoint = venue.endpoint;
    const getOrder = endpoint.getOrder.bind(endpoint);
    const orderFills = endpoint.orderFills.bind(endpoint);
    endpoint.getOrder = (...args) => {
      calls.getOrder += 1;
      return getOrder(...args);
    };
    endpoint.orderFills = (...args) => {
      calls.orderFills += 1;
      return orderFills(...args);
    };
    const trader = track(startTrader(database, venue, newAccount()));
    for (let i = 0; i < 5; i += 1) {
      await trader.place({ clientOrderId: `rest-${i}`, quantity: '1.0000', price: `9${i}.00` });
    }
    // The best bid (94.00) partly fills; the manager hears it from the venue's events.
    await trade(venue, 'SELL', '0.2500', '94.00', 'cp-rest');
    await waitFor(async () => (await trader.get('rest-4'))?.filledQuantity.toString() === '0.2500', 5_000);
    calls.getOrder = 0;
    calls.orderFills = 0;
    expect((await trader.reconcile()).repairs).toEqual({});
    expect(calls).toEqual({ getOrder: 0, orderFills: 0 });
  });

  it('answers a repeated request with the same client order id with the existing order, never a second one', async () => {
    const venue = await paperVenue();
    const trader = track(startTrader(database, venue, newAccount()));
    const [a, b] = await Promise.all([
      trader.place({ clientOrderId: 'idem-1', quantity: '0.5000' }),
      trader.place({ clientOrderId: 'idem-1', quantity: '0.5000' }),
    ]);
    const c = await trader.place({ clientOrderId: 'idem-1', quantity: '0.9000' });
    expect(new Set([a.id, b.id, c.id]).size).toBe(1);
    expect((await trader.list()).length).toBe(1);
    expect((await venue.connector.openOrders()).length).toBe(1);
  });

  it.each([
    [{ instrumentId: 'DOGE-USD.PAPER' }, 'instrumentId'],
    [{ quantity: '0' }, 'quantity'],
    [{ quantity: '-1' }, 'quantity'],
    [{ price: '100.001' }, 'price'],
    [{ quantity: '0.00001' }, 'quantity'],
    [{ type: 'LIMIT', timeInForce: 'DAY' }, 'timeInForce'],
    [{ side: 'HOLD' }, 'side'],
  ])('refuses %j as INVALID_ARGUMENT on %s: nothing journaled, nothing sent', async (bad, field) => {
    const venue = await paperVenue();
    const account = newAccount();
    const trader = track(startTrader(database, venue, account));
    await trader.reconcile();
    const before = await journalLength(database, account);
    const error = await trader.place({ clientOrderId: 'bad-1', ...bad }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).field).toBe(field);
    expect(await journalLength(database, account)).toBe(before);
    expect(await venue.connector.openOrders()).toEqual([]);
  });

  it('answers an order a risk rule refuses with its reason code; nothing journaled or sent', async () => {
    const venue = await paperVenue();
    const account = newAccount();
    const limits = updateRiskLimits(emptyRiskLimits(), { maxOrderNotional: { USD: '50' } });
    const trader = track(startTrader(database, venue, account, { limits }));
    await trader.reconcile();
    const before = await journalLength(database, account);
    const error = await trader
      .place({ clientOrderId: 'risk-1', quantity: '1.0000', price: '100.00' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RiskRejectedError);
    expect((error as RiskRejectedError).reason).toBe('MAX_ORDER_NOTIONAL');
    expect(await journalLength(database, account)).toBe(before);
    expect(await venue.connector.openOrders()).toEqual([]);
    expect(await metric(trader, 'ninja_orders_risk_rejections_total', { reason: 'MAX_ORDER_NOTIONAL' })).toBe(
      1,
    );
  });

  it.each([
    ['the venue never received it', 'lost-before-venue' as const],
    ['the venue took it but the answer was lost', 'lost-after-venue' as const],
  ])(
    'after a crash between intent and acknowledgement (%s), recovery leaves exactly the venue truth',
    async (_label, mode) => {
      const venue = await paperVenue();
      const account = newAccount();
      const first = startTrader(database, venue, account, { ackTimeoutMs: 60_000 });
      venue.endpoint.mode = mode;
      const pending = first
        .place({ clientOrderId: 'crash-1', quantity: '1.0000', price: '100.00' })
        .catch((e: unknown) => e);
      await waitFor(async () => (await journalLength(database, account)) >= 2, 5_000);
      if (mode === 'lost-after-venue') await trade(venue, 'SELL', '0.4000', '100.00', 'cp-crash');
      await first.stop();
      await pending;
      venue.endpoint.mode = 'normal';

      const second = track(startTrader(database, venue, account));
      await waitFor(
        async () =>
          (await metric(second, 'ninja_orders_reconciliations_total', { trigger: 'recovery' })) === 1,
        5_000,
        'the recovery reconciliation',
      );
      const order = await second.get('crash-1');
      const atVenue = await venue.connector.getOrder({
        instrumentId: BTC.id,
        clientOrderId: venueClientOrderId(account, order?.clientOrderId ?? ('x' as never)),
      });
      if (mode === 'lost-before-venue') {
        expect(order?.status).toBe('REJECTED');
        expect(order?.rejectReason).toBe(NEVER_RECEIVED);
        expect(atVenue).toBeUndefined();
        expect(await metric(second, 'ninja_orders_repairs_total', { repair: 'never-received' })).toBe(1);
      } else {
        expect(order?.status).toBe('PARTIALLY_FILLED');
        expect(order?.venueOrderId).toBe(atVenue?.venueOrderId);
        expect(order?.filledQuantity.toString()).toBe(atVenue?.filledQuantity.toString());
        expect(second.fills.map((f) => f.quantity.toString())).toEqual(['0.4000']);
        expect((await venue.connector.openOrders()).length).toBe(1);
      }
      // The retried request finds the same order: no duplicate venue order.
      const retried = await second.place({ clientOrderId: 'crash-1', quantity: '1.0000', price: '100.00' });
      expect(retried.id).toBe(order?.id);
      expect(venue.engine.openOrders(OUR_ACCOUNT).length).toBe(mode === 'lost-before-venue' ? 0 : 1);
    },
  );
});
