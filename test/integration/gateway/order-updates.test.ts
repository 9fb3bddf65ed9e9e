import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { once } from 'node:events';
import { Client, Metadata, credentials } from '@grpc/grpc-js';
import WebSocket from 'ws';
import type { ClientReadableStream } from '@grpc/grpc-js';
import { registerPaperVenue } from '../../../nodes/paper-venue.ts';
import {
  Liquidity,
  OrderSide,
  OrderStatus,
  OrderType,
  TimeInForce,
} from '../../../proto/gen/ninja/v1/order.ts';
import {
  PlaceOrderRequest,
  PlaceOrderResponse,
  StreamOrderUpdatesRequest,
  StreamOrderUpdatesResponse,
} from '../../../proto/gen/ninja/v1/trading.ts';
import { waitFor } from '../../support/index.ts';
import { signUp, startGatewayNode } from './gateway-harness.ts';
import type { GatewayTestNode, TestUser } from './gateway-harness.ts';

let gw: GatewayTestNode;
let carol: TestUser;

beforeAll(async () => {
  gw = await startGatewayNode({
    env: { NINJA_ROLES: 'gateway,trading,venue' },
    registerKinds: (node, services) => registerPaperVenue(node, services),
  });
  carol = await signUp(gw, 'carol-order-updates@example.com');
}, 120_000);

afterAll(async () => {
  await gw?.stop();
}, 60_000);

const market = (clientOrderId: string, side: OrderSide, quantity: string) =>
  gw.grpc.unary(
    '/ninja.v1.TradingService/PlaceOrder',
    PlaceOrderRequest.fromPartial({
      accountId: carol.accountId,
      clientOrderId,
      instrumentId: { symbol: 'BTC-USD', venue: 'paper' },
      side,
      type: OrderType.ORDER_TYPE_MARKET,
      timeInForce: TimeInForce.TIME_IN_FORCE_IOC,
      quantity: { value: quantity },
    }),
    PlaceOrderRequest,
    PlaceOrderResponse,
    { token: carol.token },
  );

/**
 * A market order, placed again under a new client order id while the node has no mid for the
 * pre-trade check yet (a refused attempt books nothing); answers the client order id that went in.
 */
async function placeMarket(prefix: string, side: OrderSide, quantity: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const clientOrderId = `${prefix}-${attempt}`;
    const placed = await market(clientOrderId, side, quantity);
    if (placed.ok) return clientOrderId;
    if (!/NO_REFERENCE_PRICE/.test(placed.details) || attempt >= 50) throw new Error(placed.details);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Opens StreamOrderUpdates over gRPC and collects what it sends. */
function openStream(client: Client): {
  received: StreamOrderUpdatesResponse[];
  call: ClientReadableStream<StreamOrderUpdatesResponse>;
} {
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${carol.token}`);
  const received: StreamOrderUpdatesResponse[] = [];
  const call = client.makeServerStreamRequest(
    '/ninja.v1.TradingService/StreamOrderUpdates',
    (request: StreamOrderUpdatesRequest) => Buffer.from(StreamOrderUpdatesRequest.encode(request).finish()),
    (bytes: Buffer) => StreamOrderUpdatesResponse.decode(bytes),
    { accountId: carol.accountId },
    metadata,
  );
  call.on('data', (message: StreamOrderUpdatesResponse) => received.push(message));
  call.on('error', () => undefined); // cancelled at the end of the test
  return { received, call };
}

describe('StreamOrderUpdates', () => {
  it('sends each fill with the order as it stands after it, once per trade, then the order is not repeated', async () => {
    const client = new Client(gw.grpcAddress, credentials.createInsecure());
    const stream = openStream(client);
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const taken = await placeMarket('ou-take', OrderSide.ORDER_SIDE_BUY, '0.0100');
      await waitFor(
        () =>
          Promise.resolve(stream.received.some((m) => m.order?.status === OrderStatus.ORDER_STATUS_FILLED)),
        20_000,
        'the filled order on the stream',
      );
      await new Promise((resolve) => setTimeout(resolve, 600));
      const fills = stream.received.filter((m) => m.fill !== undefined);
      const ofTaken = stream.received.filter((m) => m.order?.clientOrderId === taken);
      expect(fills.length).toBeGreaterThan(0);
      for (const m of fills) {
        expect(m.fill?.clientOrderId).toBe(taken);
        expect(m.fill?.orderId).toBe(m.order?.orderId);
        expect(m.fill?.tradeId).not.toBe('');
        expect(m.fill?.instrumentId).toEqual({ symbol: 'BTC-USD', venue: 'paper' });
        expect(m.fill?.side).toBe(OrderSide.ORDER_SIDE_BUY);
        // A market order takes liquidity; the venue says so and the stream carries it.
        expect(m.fill?.liquidity).toBe(Liquidity.LIQUIDITY_TAKER);
        expect(m.order?.clientOrderId).toBe(taken);
        expect(Number(m.fill?.price?.value)).toBeGreaterThan(0);
        expect(m.fill?.fee?.currency).not.toBe('');
      }
      // One message per trade, and the fill quantities add up to the order's.
      expect(new Set(fills.map((m) => m.fill?.tradeId)).size).toBe(fills.length);
      const total = fills.reduce((sum, m) => sum + Number(m.fill?.quantity?.value), 0);
      expect(total).toBeCloseTo(0.01, 8);
      const last = ofTaken.at(-1);
      expect(last?.order?.status).toBe(OrderStatus.ORDER_STATUS_FILLED);
      expect(last?.order?.filledQuantity?.value).toBe('0.0100');
      // A version of the order sent with its fills is not sent again without them.
      const version = (m: StreamOrderUpdatesResponse) =>
        `${m.order?.updateTime?.seconds}.${m.order?.updateTime?.nanos}`;
      const withFills = new Set(fills.map(version));
      expect(ofTaken.filter((m) => m.fill === undefined && withFills.has(version(m)))).toEqual([]);
    } finally {
      stream.call.cancel();
      client.close();
    }
  }, 60_000);

  it('delivers fills over WebSocket too', async () => {
    const socket = new WebSocket(gw.wsUrl, { headers: { authorization: `Bearer ${carol.token}` } });
    const frames: { id?: string; stream?: Record<string, unknown> }[] = [];
    socket.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString('utf8')) as never));
    await once(socket, 'open');
    try {
      socket.send(
        JSON.stringify({
          id: 'u1',
          method: 'ninja.v1.TradingService/StreamOrderUpdates',
          params: { accountId: carol.accountId },
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      // A sell: the first test bought what it sells.
      const sold = await placeMarket('ou-sell-ws', OrderSide.ORDER_SIDE_SELL, '0.0050');
      const filled = () =>
        frames.filter((f) => {
          const fill = f.stream?.['fill'] as { clientOrderId?: string; tradeId?: string } | undefined;
          return f.id === 'u1' && fill?.clientOrderId === sold && (fill.tradeId ?? '') !== '';
        });
      await waitFor(() => filled().length > 0, 20_000, 'a fill frame on the WebSocket stream');
      const order = filled()[0]?.stream?.['order'] as { clientOrderId?: string } | undefined;
      expect(order?.clientOrderId).toBe(sold);
    } finally {
      socket.close();
    }
  }, 60_000);
});
