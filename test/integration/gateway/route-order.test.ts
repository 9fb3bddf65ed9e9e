// TradingService.RouteOrder over a real node hosting the paper venue and the Binance.US and Coinbase
// simulators (nodes/dev-venues.ts): a route split over several venues records its plan before its
// children, places them as IOC limit orders, and replays the same children for the same plan id;
// bad input and other users' accounts are refused with nothing recorded.
import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerVenueKinds } from '../../../actors/venue/index.ts';
import { startDevelopmentVenues } from '../../../nodes/dev-venues.ts';
import type { DevelopmentVenues } from '../../../nodes/dev-venues.ts';
import { GetOrderBookRequest, GetOrderBookResponse } from '../../../proto/gen/ninja/v1/market_data.ts';
import { OrderSide, OrderType, TimeInForce } from '../../../proto/gen/ninja/v1/order.ts';
import { RouteOrderRequest, RouteOrderResponse } from '../../../proto/gen/ninja/v1/trading.ts';
import { waitFor } from '../../support/index.ts';
import { signUp, startGatewayNode } from './gateway-harness.ts';
import type { Credentials, GatewayTestNode, TestUser } from './gateway-harness.ts';

let gw: GatewayTestNode;
let venues: DevelopmentVenues | undefined;
let alice: TestUser;
let bob: TestUser;
const aliceAccounts: Record<string, string> = {};

const MARKETS = [
  { venue: 'paper', symbol: 'BTC-USD' },
  { venue: 'binanceus', symbol: 'BTCUSD' },
  { venue: 'coinbase', symbol: 'BTC-USD' },
] as const;

beforeAll(async () => {
  gw = await startGatewayNode({
    env: { NINJA_ROLES: 'gateway,trading,venue' },
    registerKinds: async (node, services) => {
      // No generated flow: the books stay as the simulators seeded them while the test reads and routes.
      venues = await startDevelopmentVenues({ ...services, flowPerTick: 0 });
      registerVenueKinds(node, { connectors: venues.connectors, metrics: services.metrics });
    },
  });
  alice = await signUp(gw, 'alice-route@example.com');
  bob = await signUp(gw, 'bob-route@example.com');
  aliceAccounts['paper'] = alice.accountId;
  for (const venue of ['binanceus', 'coinbase']) {
    const row = await gw.database.pool.query<{ id: string }>(
      "INSERT INTO accounts (user_id, venue, name) VALUES ($1, $2, 'main') RETURNING id",
      [alice.userId, venue],
    );
    aliceAccounts[venue] = row.rows[0]?.id ?? '';
  }
  // Wait until every book is synced (GetOrderBook answers UNAVAILABLE before).
  for (const market of MARKETS) {
    await waitFor(
      async () => (await book(market.venue, market.symbol)) !== undefined,
      30_000,
      `${market.venue} book`,
    );
  }
}, 120_000);

afterAll(async () => {
  await gw?.stop();
  await venues?.close();
}, 60_000);

async function book(venue: string, symbol: string) {
  const answer = await gw.grpc.unary(
    '/ninja.v1.MarketDataService/GetOrderBook',
    GetOrderBookRequest.fromPartial({ instrumentId: { symbol, venue }, depth: 50 }),
    GetOrderBookRequest,
    GetOrderBookResponse,
    { token: alice.token },
  );
  return answer.ok ? answer.value.book : undefined;
}

const route = (request: Partial<RouteOrderRequest>, auth: Credentials) =>
  gw.grpc.unary(
    '/ninja.v1.TradingService/RouteOrder',
    RouteOrderRequest.fromPartial({
      baseAsset: 'BTC',
      quoteAsset: 'USD',
      side: OrderSide.ORDER_SIDE_BUY,
      quantity: { value: '0.01' },
      ...request,
    }),
    RouteOrderRequest,
    RouteOrderResponse,
    auth,
  );

const plans = async (): Promise<number> =>
  Number((await gw.database.pool.query<{ n: string }>('SELECT count(*) AS n FROM route_plans')).rows[0]?.n);

describe('TradingService.RouteOrder', () => {
  it('routes over the accounts named, only', async () => {
    const answer = await route(
      {
        accountIds: [aliceAccounts['coinbase'] ?? ''],
        quantity: { value: '0.0001' },
      },
      { token: alice.token },
    );
    if (!answer.ok) throw new Error(`RouteOrder failed: ${answer.details}`);
    expect(
      answer.value.plan?.legs.map((l) => l.instrumentId?.venue),
      JSON.stringify(answer.value.plan?.skipped),
    ).toEqual(['coinbase']);
    expect(answer.value.children[0]?.errorCode, answer.value.children[0]?.errorMessage).toBe('');
  }, 30_000);

  it('splits a buy over the venues, records the plan before its children, and replays it idempotently', async () => {
    // More than the deepest single venue offers in its first 50 asks, so at least two venues are needed.
    const totals = await Promise.all(
      MARKETS.map(async (m) =>
        (await book(m.venue, m.symbol))?.asks.reduce((sum, level) => sum + Number(level.quantity?.value), 0),
      ),
    );
    const deepest = Math.max(...totals.map((t) => t ?? 0));
    const quantity = Math.min(deepest + 0.01, 30).toFixed(2);
    const planId = randomUUID();
    const auth = { token: alice.token };
    const first = await route({ planId, quantity: { value: quantity } }, auth);
    if (!first.ok) throw new Error(`RouteOrder failed: ${first.details}`);
    const plan = first.value.plan;
    expect(first.value.created).toBe(true);
    expect(plan?.planId).toBe(planId);
    expect(
      plan?.legs.length,
      JSON.stringify({ totals, legs: plan?.legs, skipped: plan?.skipped, unfilled: plan?.unfilledQuantity }),
    ).toBeGreaterThanOrEqual(2);
    expect(Number(plan?.plannedQuantity?.value)).toBeLessThanOrEqual(Number(quantity));
    expect(new Set(plan?.legs.map((l) => l.instrumentId?.venue)).size).toBe(plan?.legs.length);
    for (const leg of plan?.legs ?? []) {
      expect(leg.accountId).toBe(aliceAccounts[leg.instrumentId?.venue ?? '']);
      expect(leg.clientOrderId).toBe(`r${planId.replaceAll('-', '')}-${leg.index}`);
    }
    // Every child reached its order manager as an IOC limit at the leg's limit price.
    expect(first.value.children).toHaveLength(plan?.legs.length ?? -1);
    for (const child of first.value.children) {
      const leg = plan?.legs[child.legIndex];
      expect(child.errorCode, child.errorMessage).toBe('');
      expect(child.order?.clientOrderId).toBe(leg?.clientOrderId);
      expect(child.order?.type).toBe(OrderType.ORDER_TYPE_LIMIT);
      expect(child.order?.timeInForce).toBe(TimeInForce.TIME_IN_FORCE_IOC);
      expect(child.order?.price?.value).toBe(leg?.limitPrice?.value);
      expect(child.order?.quantity?.value).toBe(leg?.quantity?.value);
    }

    // The plan is on record, created before its children's orders.
    const row = (
      await gw.database.pool.query<{ user_id: string; legs: unknown[]; created_at: Date }>(
        'SELECT user_id, legs, created_at FROM route_plans WHERE id = $1',
        [planId],
      )
    ).rows[0];
    expect(row?.user_id).toBe(alice.userId);
    expect(row?.legs).toHaveLength(plan?.legs.length ?? -1);
    for (const child of first.value.children) {
      const created =
        Number(child.order?.createTime?.seconds) * 1000 + (child.order?.createTime?.nanos ?? 0) / 1e6;
      expect(row?.created_at.getTime()).toBeLessThanOrEqual(created);
    }

    // Same plan id: the same children (same orders), no second plan, no second set of orders.
    const before = await plans();
    const again = await route({ planId, quantity: { value: '0.5' }, side: OrderSide.ORDER_SIDE_SELL }, auth);
    if (!again.ok) throw new Error(`RouteOrder retry failed: ${again.details}`);
    expect(again.value.created).toBe(false);
    expect(again.value.plan?.legs).toEqual(plan?.legs);
    expect(again.value.children.map((c) => c.order?.orderId)).toEqual(
      first.value.children.map((c) => c.order?.orderId),
    );
    expect(await plans()).toBe(before);

    // Another user's plan id is not theirs to replay.
    const foreign = await route({ planId }, { token: bob.token });
    expect(foreign.ok).toBe(false);
    if (!foreign.ok) expect(foreign.code).toBe(status.ALREADY_EXISTS);
  }, 60_000);

  it('refuses bad input naming the field, and records nothing', async () => {
    const before = await plans();
    const auth = { token: alice.token };
    const cases: [Partial<RouteOrderRequest>, string][] = [
      [{ quantity: { value: '0' } }, 'quantity.value'],
      [{ quantity: { value: '-1' } }, 'quantity.value'],
      [{ quantity: { value: '1e3' } }, 'quantity.value'],
      [{ limitPrice: { value: '0' } }, 'limit_price.value'],
      [{ baseAsset: 'btc' }, 'base_asset'],
      [{ quoteAsset: 'BTC' }, 'quote_asset'],
      [{ side: OrderSide.ORDER_SIDE_UNSPECIFIED }, 'side'],
      [{ planId: 'not-a-uuid' }, 'plan_id'],
      [{ accountIds: ['nope'] }, 'account_ids.0'],
      [{ baseAsset: 'DOGE' }, 'base'],
    ];
    for (const [request, field] of cases) {
      const answer = await route(request, auth);
      expect(answer.ok, field).toBe(false);
      if (answer.ok) continue;
      expect(answer.code, field).toBe(status.INVALID_ARGUMENT);
      expect(answer.field, `${field}: ${answer.details}`).toBe(field);
    }
    // Another user's account: PERMISSION_DENIED, nothing recorded.
    const foreign = await route({ accountIds: [bob.accountId] }, auth);
    expect(foreign.ok).toBe(false);
    if (!foreign.ok) expect(foreign.code).toBe(status.PERMISSION_DENIED);
    expect(await plans()).toBe(before);
  }, 30_000);
});
