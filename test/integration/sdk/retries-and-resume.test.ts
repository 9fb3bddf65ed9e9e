import { Metadata, Server, ServerCredentials, status } from '@grpc/grpc-js';
import type { ServerUnaryCall, ServerWritableStream, ServiceError, sendUnaryData } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MarketDataServiceService } from '../../../proto/gen/ninja/v1/market_data.ts';
import type {
  ListInstrumentsRequest,
  ListInstrumentsResponse,
  StreamTradesRequest,
  StreamTradesResponse,
} from '../../../proto/gen/ninja/v1/market_data.ts';
import { OrderSide, OrderStatus } from '../../../proto/gen/ninja/v1/order.ts';
import { TradingServiceService } from '../../../proto/gen/ninja/v1/trading.ts';
import type { PlaceOrderRequest, PlaceOrderResponse } from '../../../proto/gen/ninja/v1/trading.ts';
import { MetricsRegistry } from '../../../observability/index.ts';
import { NinjaClient, UnavailableError } from '../../../sdk/index.ts';
import type { NinjaError } from '../../../sdk/index.ts';

// A scripted gRPC server on loopback stands in for the gateway: it fails on purpose where the real
// one fails only under faults (a node restarting), so the SDK's retry and resume paths run for real.

function unavailable(message: string): Partial<ServiceError> {
  return { code: status.UNAVAILABLE, details: message, metadata: new Metadata() };
}

const script = {
  listInstrumentsFailures: 0,
  listInstrumentsCalls: 0,
  placeOrderCalls: [] as string[],
  streamOpenings: 0,
};

let server: Server;
let address: string;

beforeAll(async () => {
  server = new Server();
  server.addService(MarketDataServiceService, {
    listInstruments: (
      _call: ServerUnaryCall<ListInstrumentsRequest, ListInstrumentsResponse>,
      callback: sendUnaryData<ListInstrumentsResponse>,
    ) => {
      script.listInstrumentsCalls += 1;
      if (script.listInstrumentsFailures > 0) {
        script.listInstrumentsFailures -= 1;
        callback(unavailable('venue paper is restarting'));
        return;
      }
      callback(null, { instruments: [] });
    },
    streamTrades: (call: ServerWritableStream<StreamTradesRequest, StreamTradesResponse>) => {
      script.streamOpenings += 1;
      const opening = script.streamOpenings;
      const trade = (n: number): StreamTradesResponse => ({
        trade: {
          instrumentId: call.request.instrumentId,
          tradeId: `t${String(n)}`,
          price: { value: '50000.10' },
          quantity: { value: '0.001' },
          aggressorSide: OrderSide.ORDER_SIDE_BUY,
          tradeTime: undefined,
        },
      });
      if (opening === 1) {
        call.write(trade(1));
        call.write(trade(2));
        // The connection breaks mid-stream (e.g. the gateway node restarts).
        setTimeout(() => call.emit('error', unavailable('node restarting')), 20);
      } else {
        call.write(trade(3));
        call.end();
      }
    },
  });
  server.addService(TradingServiceService, {
    placeOrder: (
      call: ServerUnaryCall<PlaceOrderRequest, PlaceOrderResponse>,
      callback: sendUnaryData<PlaceOrderResponse>,
    ) => {
      script.placeOrderCalls.push(call.request.clientOrderId);
      if (script.placeOrderCalls.length % 2 === 1) {
        // The answer is lost after the order may have been placed.
        callback(unavailable('connection reset after the request was received'));
        return;
      }
      callback(null, {
        order: {
          orderId: '0b7c6a8e-3d3c-4f5b-9f56-1a2b3c4d5e6f',
          clientOrderId: call.request.clientOrderId,
          venueOrderId: '',
          accountId: call.request.accountId,
          instrumentId: call.request.instrumentId,
          side: call.request.side,
          type: call.request.type,
          timeInForce: call.request.timeInForce,
          quantity: call.request.quantity,
          price: call.request.price,
          stopPrice: undefined,
          postOnly: false,
          reduceOnly: false,
          status: OrderStatus.ORDER_STATUS_ACKNOWLEDGED,
          filledQuantity: { value: '0' },
          averageFillPrice: undefined,
          expireTime: undefined,
          createTime: undefined,
          updateTime: undefined,
          rejectReason: '',
        },
      });
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
      error === null ? resolve(bound) : reject(error),
    ),
  );
  address = `127.0.0.1:${String(port)}`;
});

afterAll(() => {
  server.forceShutdown();
});

const fastRetry = { maxAttempts: 4, initialDelayMs: 5, maxDelayMs: 20 };
const order = {
  accountId: '6f1c2b7e-1d1a-4a6b-9a55-2f3f6c1d9e01',
  instrumentId: 'BTC-USD.PAPER',
  side: 'BUY',
  type: 'LIMIT',
  quantity: '0.010',
  price: '50000.00',
} as const;

describe('SDK retries over real gRPC', () => {
  it('repeats an idempotent read after UNAVAILABLE and counts the retries', async () => {
    const metrics = new MetricsRegistry();
    const client = new NinjaClient({ address, apiKey: 'ngk_test.secret', retry: fastRetry, metrics });
    try {
      script.listInstrumentsFailures = 2;
      script.listInstrumentsCalls = 0;
      expect(await client.marketData.listInstruments()).toEqual([]);
      expect(script.listInstrumentsCalls).toBe(3);
      const exposed = (await metrics.expose()).body;
      expect(exposed).toContain(
        'ninja_sdk_retries_total{method="ninja.v1.MarketDataService/ListInstruments",code="UNAVAILABLE"} 2',
      );
      expect(exposed).toContain(
        'ninja_sdk_calls_total{method="ninja.v1.MarketDataService/ListInstruments",code="OK"} 1',
      );
    } finally {
      client.close();
    }
  });

  it('gives up after maxAttempts with the typed error', async () => {
    const client = new NinjaClient({ address, apiKey: 'ngk_test.secret', retry: fastRetry });
    try {
      script.listInstrumentsFailures = 10;
      script.listInstrumentsCalls = 0;
      await expect(client.marketData.listInstruments()).rejects.toBeInstanceOf(UnavailableError);
      expect(script.listInstrumentsCalls).toBe(4);
    } finally {
      script.listInstrumentsFailures = 0;
      client.close();
    }
  });

  it('repeats PlaceOrder with the same client order id, and never one without', async () => {
    const client = new NinjaClient({ address, apiKey: 'ngk_test.secret', retry: fastRetry });
    const bare = new NinjaClient({
      address,
      apiKey: 'ngk_test.secret',
      retry: fastRetry,
      assignClientOrderIds: false,
    });
    try {
      script.placeOrderCalls.length = 0;
      const placed = await client.trading.placeOrder(order);
      expect(script.placeOrderCalls).toHaveLength(2);
      expect(script.placeOrderCalls[0]).toBe(script.placeOrderCalls[1]);
      expect(placed.clientOrderId).toBe(script.placeOrderCalls[0]);
      expect(placed.quantity).toBe('0.010');

      script.placeOrderCalls.length = 0;
      await expect(bare.trading.placeOrder(order)).rejects.toBeInstanceOf(UnavailableError);
      expect(script.placeOrderCalls).toEqual(['']);
    } finally {
      client.close();
      bare.close();
    }
  });
});

describe('SDK streams over real gRPC', () => {
  it('resume after the connection breaks and end when the server completes the stream', async () => {
    const reconnects: NinjaError[] = [];
    const client = new NinjaClient({
      address,
      apiKey: 'ngk_test.secret',
      streamResume: { initialDelayMs: 5, onReconnect: ({ error }) => reconnects.push(error) },
    });
    try {
      script.streamOpenings = 0;
      const trades: string[] = [];
      for await (const trade of client.marketData.trades('BTC-USD.PAPER')) {
        trades.push(`${trade.tradeId} ${trade.price ?? '?'} ${trade.aggressorSide}`);
      }
      expect(trades).toEqual(['t1 50000.10 BUY', 't2 50000.10 BUY', 't3 50000.10 BUY']);
      expect(script.streamOpenings).toBe(2);
      expect(reconnects.map((e) => e.code)).toEqual(['UNAVAILABLE']);
    } finally {
      client.close();
    }
  });

  it('cancel the call when the consumer stops early', async () => {
    const client = new NinjaClient({ address, apiKey: 'ngk_test.secret' });
    try {
      script.streamOpenings = 0;
      for await (const trade of client.marketData.trades('BTC-USD.PAPER')) {
        expect(trade.tradeId).toBe('t1');
        break;
      }
      expect(script.streamOpenings).toBe(1);
    } finally {
      client.close();
    }
  });
});
