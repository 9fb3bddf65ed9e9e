import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { status } from '@grpc/grpc-js';
import { registerPaperVenue } from '../../../nodes/paper-venue.ts';
import {
  GetBalancesRequest,
  GetBalancesResponse,
  GetPnlRequest,
  GetPnlResponse,
  GetPositionsRequest,
  GetPositionsResponse,
  SetKillSwitchRequest,
  SetKillSwitchResponse,
  SetRiskLimitsRequest,
  SetRiskLimitsResponse,
} from '../../../proto/gen/ninja/v1/account.ts';
import type { Position } from '../../../proto/gen/ninja/v1/account.ts';
import { Price } from '../../../domain/index.ts';
import { LoginRequest, LoginResponse } from '../../../proto/gen/ninja/v1/auth.ts';
import { OrderSide, OrderStatus, OrderType, TimeInForce } from '../../../proto/gen/ninja/v1/order.ts';
import {
  GetOrderRequest,
  GetOrderResponse,
  ListOrdersRequest,
  ListOrdersResponse,
  PlaceOrderRequest,
  PlaceOrderResponse,
  StreamOrderUpdatesRequest,
  StreamOrderUpdatesResponse,
} from '../../../proto/gen/ninja/v1/trading.ts';
import { waitFor } from '../../support/index.ts';
import { WsClient, signUp, startGatewayNode } from './gateway-harness.ts';
import type { Credentials, GatewayTestNode, TestUser } from './gateway-harness.ts';

let gw: GatewayTestNode;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  gw = await startGatewayNode({
    env: { NINJA_ROLES: 'gateway,trading,venue' },
    registerKinds: (node, services) => registerPaperVenue(node, services),
  });
  alice = await signUp(gw, 'alice-trading@example.com');
  bob = await signUp(gw, 'bob-trading@example.com');
}, 120_000);

afterAll(async () => {
  await gw?.stop();
}, 60_000);

const place = (request: Partial<PlaceOrderRequest>, auth: Credentials) =>
  gw.grpc.unary(
    '/ninja.v1.TradingService/PlaceOrder',
    PlaceOrderRequest.fromPartial({
      instrumentId: { symbol: 'BTC-USD', venue: 'paper' },
      side: OrderSide.ORDER_SIDE_BUY,
      type: OrderType.ORDER_TYPE_LIMIT,
      timeInForce: TimeInForce.TIME_IN_FORCE_GTC,
      quantity: { value: '0.0100' },
      price: { value: '20000.00' },
      ...request,
    }),
    PlaceOrderRequest,
    PlaceOrderResponse,
    auth,
  );
const journalRows = async (accountId: string): Promise<number> =>
  Number(
    (
      await gw.database.pool.query<{ n: string }>(
        'SELECT count(*) AS n FROM actor_journal WHERE identity = $1',
        [`orders/${accountId}`],
      )
    ).rows[0]?.n ?? '0',
  );

describe('TradingService and AccountService over gRPC, paper venue', () => {
  it('places an order that fills, and shows it in GetOrder, ListOrders, StreamOrderUpdates, GetPositions, GetPnl', async () => {
    const auth = { token: alice.token };
    const first = await place({ accountId: alice.accountId, clientOrderId: 'gw-rest-1' }, auth);
    expect(first.ok && first.value.order?.status).toBe(OrderStatus.ORDER_STATUS_ACKNOWLEDGED);
    const again = await place({ accountId: alice.accountId, clientOrderId: 'gw-rest-1' }, auth);
    expect(again.ok && again.value.order?.orderId).toBe(first.ok && first.value.order?.orderId);

    // Stream the account's updates while a market order fills.
    const updates: StreamOrderUpdatesResponse[] = [];
    const stream = gw.grpc.streamFirst(
      '/ninja.v1.TradingService/StreamOrderUpdates',
      Buffer.from(StreamOrderUpdatesRequest.encode({ accountId: alice.accountId }).finish()),
      auth,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const market = await place(
      {
        accountId: alice.accountId,
        clientOrderId: 'gw-take-1',
        type: OrderType.ORDER_TYPE_MARKET,
        timeInForce: TimeInForce.TIME_IN_FORCE_IOC,
        price: undefined,
      },
      auth,
    );
    expect(market.ok).toBe(true);
    const streamed = await stream;
    expect(streamed.ok).toBe(true);
    if (streamed.ok) updates.push(StreamOrderUpdatesResponse.decode(streamed.value));
    expect(updates[0]?.order?.clientOrderId).toBe('gw-take-1');

    let averageFill: string | undefined;
    await waitFor(
      async () => {
        const got = await gw.grpc.unary(
          '/ninja.v1.TradingService/GetOrder',
          GetOrderRequest.fromPartial({ accountId: alice.accountId, clientOrderId: 'gw-take-1' }),
          GetOrderRequest,
          GetOrderResponse,
          auth,
        );
        if (got.ok) averageFill = got.value.order?.averageFillPrice?.value;
        return got.ok && got.value.order?.status === OrderStatus.ORDER_STATUS_FILLED;
      },
      20_000,
      'the market order filled',
    );
    const listed = await gw.grpc.unary(
      '/ninja.v1.TradingService/ListOrders',
      ListOrdersRequest.fromPartial({ accountId: alice.accountId, pageSize: 1 }),
      ListOrdersRequest,
      ListOrdersResponse,
      auth,
    );
    expect(listed.ok && listed.value.orders).toHaveLength(1);
    expect(listed.ok && listed.value.nextPageToken).not.toBe('');
    const filled = await gw.grpc.unary(
      '/ninja.v1.TradingService/ListOrders',
      ListOrdersRequest.fromPartial({
        accountId: alice.accountId,
        statuses: [OrderStatus.ORDER_STATUS_FILLED],
      }),
      ListOrdersRequest,
      ListOrdersResponse,
      auth,
    );
    expect(filled.ok && filled.value.orders.map((o) => o.clientOrderId)).toEqual(['gw-take-1']);

    let position: Position | undefined;
    await waitFor(
      async () => {
        const positions = await gw.grpc.unary(
          '/ninja.v1.AccountService/GetPositions',
          GetPositionsRequest.fromPartial({ accountId: alice.accountId }),
          GetPositionsRequest,
          GetPositionsResponse,
          auth,
        );
        if (positions.ok) position = positions.value.positions[0];
        return positions.ok && positions.value.positions[0]?.quantity?.value === '0.0100';
      },
      20_000,
      'the position',
    );
    // One order, so the position's average entry price is the order's average fill price.
    expect(averageFill).toBeDefined();
    expect(Price.parse(position?.averagePrice?.value ?? '0').eq(Price.parse(averageFill ?? '1'))).toBe(true);
    const pnlNow = () =>
      gw.grpc.unary(
        '/ninja.v1.AccountService/GetPnl',
        GetPnlRequest.fromPartial({ accountId: alice.accountId }),
        GetPnlRequest,
        GetPnlResponse,
        auth,
      );
    const pnl = await pnlNow();
    // The paper venue charges a buy's fee in the asset bought.
    expect(pnl.ok && pnl.value.fees?.currency).toBe('BTC');
    expect(pnl.ok && pnl.value.feesByCurrency.map((f) => f.currency)).toEqual(['BTC']);

    // A sell's fee is charged in USD: fees in two currencies are each listed, and the single total
    // is left unset (GetPnl refused such an account with FAILED_PRECONDITION before).
    const sold = await place(
      {
        accountId: alice.accountId,
        clientOrderId: 'gw-sell-1',
        side: OrderSide.ORDER_SIDE_SELL,
        quantity: { value: '0.0050' },
        type: OrderType.ORDER_TYPE_MARKET,
        timeInForce: TimeInForce.TIME_IN_FORCE_IOC,
        price: undefined,
      },
      auth,
    );
    expect(sold.ok).toBe(true);
    let both: GetPnlResponse | undefined;
    await waitFor(
      async () => {
        const got = await pnlNow();
        if (got.ok) both = got.value;
        return got.ok && got.value.feesByCurrency.length === 2;
      },
      20_000,
      "the sell's fee booked",
    );
    expect(both?.feesByCurrency.map((f) => f.currency).sort()).toEqual(['BTC', 'USD']);
    expect(both?.fees).toBeUndefined();
    expect(both?.realizedPnlByCurrency.map((m) => m.currency)).toEqual(['USD']);
    expect(both?.realizedPnl?.currency).toBe('USD');

    // Alice trades on the paper connection's shared funds: her balances are her fills' net flows,
    // and say so (a bought 0.0100 BTC less fees, sold 0.0050; USD paid out net, so negative).
    const balances = await gw.grpc.unary(
      '/ninja.v1.AccountService/GetBalances',
      GetBalancesRequest.fromPartial({ accountId: alice.accountId }),
      GetBalancesRequest,
      GetBalancesResponse,
      auth,
    );
    expect(balances.ok).toBe(true);
    const lines = balances.ok ? balances.value.balances : [];
    expect(lines.map((b) => b.asset).sort()).toEqual(['BTC', 'USD']);
    expect(lines.every((b) => !b.funded)).toBe(true);
    expect(lines.find((b) => b.asset === 'USD')?.total?.value).toMatch(/^-/);
  }, 120_000);

  it('refuses bad input naming the field, persisting and sending nothing', async () => {
    const auth = { token: alice.token };
    const before = await journalRows(alice.accountId);
    const cases: [Partial<PlaceOrderRequest>, string][] = [
      [{ instrumentId: { symbol: 'DOGE-USD', venue: 'paper' } }, 'instrumentId'],
      [{ quantity: { value: '0' } }, 'quantity'],
      [{ quantity: { value: '-1' } }, 'quantity'],
      [{ price: { value: '20000.001' } }, 'price'],
      [{ quantity: { value: '0.00001' } }, 'quantity'],
      [{ reduceOnly: true }, 'reduceOnly'],
      [{ timeInForce: TimeInForce.TIME_IN_FORCE_DAY }, 'timeInForce'],
    ];
    for (const [bad, field] of cases) {
      const result = await place(
        { accountId: alice.accountId, clientOrderId: `gw-bad-${field}`, ...bad },
        auth,
      );
      expect(result.ok ? 'OK' : status[result.code]).toBe('INVALID_ARGUMENT');
      expect(result.ok ? undefined : result.field).toContain(field);
    }
    expect(await journalRows(alice.accountId)).toBe(before);
  }, 120_000);

  it("answers PERMISSION_DENIED for another user's account", async () => {
    const result = await place(
      { accountId: alice.accountId, clientOrderId: 'gw-foreign' },
      { token: bob.token },
    );
    expect(result.ok ? 'OK' : status[result.code]).toBe('PERMISSION_DENIED');
  }, 60_000);

  it('refuses with the risk reason code, and the WebSocket API answers the same methods', async () => {
    const auth = { token: bob.token };
    const limits = await gw.grpc.unary(
      '/ninja.v1.AccountService/SetRiskLimits',
      SetRiskLimitsRequest.fromPartial({
        accountId: bob.accountId,
        limits: { maxOrderNotional: { value: '10' } },
      }),
      SetRiskLimitsRequest,
      SetRiskLimitsResponse,
      auth,
    );
    expect(limits.ok).toBe(true);
    const audit = await gw.database.pool.query<{ details: { outcome: string } }>(
      "SELECT details FROM audit_log WHERE action = 'risk.set_limits' ORDER BY occurred_at DESC LIMIT 1",
    );
    expect(audit.rows[0]?.details.outcome).toBe('ok');
    await waitFor(
      async () => {
        const refused = await place(
          { accountId: bob.accountId, clientOrderId: `gw-risk-${Date.now()}` },
          auth,
        );
        return (
          !refused.ok &&
          status[refused.code] === 'FAILED_PRECONDITION' &&
          /MAX_ORDER_NOTIONAL/.test(refused.details)
        );
      },
      10_000,
      'the notional limit applied',
    );
    const ws = await WsClient.open(gw.wsUrl, { authorization: `Bearer ${bob.token}` });
    try {
      const listed = await ws.call('ninja.v1.TradingService/ListOrders', { accountId: bob.accountId });
      expect(listed).toMatchObject({ result: {} });
      const refused = await ws.call('ninja.v1.TradingService/PlaceOrder', {
        accountId: bob.accountId,
        instrumentId: { symbol: 'BTC-USD', venue: 'paper' },
        side: 'ORDER_SIDE_BUY',
        type: 'ORDER_TYPE_LIMIT',
        quantity: { value: '0.0100' },
        price: { value: '20000.00' },
        clientOrderId: 'gw-ws-risk',
      });
      expect(refused).toMatchObject({ error: { code: 'FAILED_PRECONDITION' } });
    } finally {
      ws.close();
    }
  }, 120_000);

  it('sets the cluster-wide kill switch for the admin scope only: every account refuses new orders until it is released', async () => {
    const root = await signUp(gw, 'root-trading@example.com');
    await gw.database.pool.query("UPDATE users SET roles = ARRAY['admin'] WHERE id = $1", [root.userId]);
    const login = await gw.grpc.unary(
      '/ninja.v1.AuthService/Login',
      LoginRequest.fromPartial({ email: root.email, password: `${root.email} password` }),
      LoginRequest,
      LoginResponse,
    );
    if (!login.ok) throw new Error(`admin login: ${login.details}`);
    const admin = { token: login.value.tokens?.accessToken ?? '' };
    const killSwitch = (request: Partial<SetKillSwitchRequest>, auth: Credentials) =>
      gw.grpc.unary(
        '/ninja.v1.AccountService/SetKillSwitch',
        SetKillSwitchRequest.fromPartial(request),
        SetKillSwitchRequest,
        SetKillSwitchResponse,
        auth,
      );

    // A trader cannot; bad combinations name the field; nothing engaged by any of them.
    const refused = await killSwitch({ clusterWide: true, engaged: true }, { token: alice.token });
    expect(refused.ok ? 'OK' : status[refused.code]).toBe('PERMISSION_DENIED');
    const withAccount = await killSwitch(
      { clusterWide: true, engaged: true, accountId: alice.accountId },
      admin,
    );
    expect(withAccount).toMatchObject({ ok: false, code: status.INVALID_ARGUMENT, field: 'account_id' });
    const noAccount = await killSwitch({ engaged: true }, admin);
    expect(noAccount).toMatchObject({ ok: false, code: status.INVALID_ARGUMENT, field: 'account_id' });

    const engaged = await killSwitch({ clusterWide: true, engaged: true, reason: 'drill' }, admin);
    expect(engaged).toMatchObject({ ok: true, value: { engaged: true } });
    const audit = await gw.database.pool.query<{ target: string; details: { outcome: string } }>(
      "SELECT target, details FROM audit_log WHERE action = 'risk.kill_switch' ORDER BY occurred_at DESC LIMIT 1",
    );
    expect(audit.rows[0]).toMatchObject({ target: 'cluster', details: { outcome: 'ok' } });
    try {
      // Within the kill switch poll (500 ms) every account refuses new orders.
      await waitFor(
        async () => {
          const order = await place(
            { accountId: alice.accountId, clientOrderId: `gw-kill-${Date.now()}` },
            { token: alice.token },
          );
          return !order.ok && /KILL_SWITCH/.test(order.details);
        },
        10_000,
        'the cluster kill switch applied',
      );
    } finally {
      const released = await killSwitch({ clusterWide: true, engaged: false }, admin);
      expect(released).toMatchObject({ ok: true });
    }
    // Released: no order is refused for the kill switch any more (other checks still apply).
    await waitFor(
      async () => {
        const order = await place(
          { accountId: alice.accountId, clientOrderId: `gw-after-kill-${Date.now()}` },
          { token: alice.token },
        );
        return order.ok || !/KILL_SWITCH/.test(order.details);
      },
      10_000,
      'orders no longer refused by the kill switch after release',
    );
  }, 120_000);
});
