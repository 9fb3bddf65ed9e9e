import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Price } from '../../../domain/values/index.ts';
import { registerPaperVenue } from '../../../nodes/paper-venue.ts';
import { GetOrderBookRequest, GetOrderBookResponse } from '../../../proto/gen/ninja/v1/market_data.ts';
import { waitFor } from '../../support/index.ts';
import { signUp, startGatewayNode } from '../gateway/gateway-harness.ts';
import type { CallResult, GatewayTestNode, TestUser } from '../gateway/gateway-harness.ts';

let gw: GatewayTestNode;
let user: TestUser;

beforeAll(async () => {
  gw = await startGatewayNode({
    env: { NINJA_ROLES: 'gateway,trading,venue' },
    registerKinds: (node, services) => registerPaperVenue(node, services),
  });
  user = await signUp(gw, 'paper-reader@example.com');
});
afterAll(async () => {
  await gw.stop();
});

async function bookOf(symbol: string): Promise<GetOrderBookResponse> {
  const call = (): Promise<CallResult<GetOrderBookResponse>> =>
    gw.grpc.unary(
      '/ninja.v1.MarketDataService/GetOrderBook',
      { instrumentId: { symbol, venue: 'paper' }, depth: 20 },
      GetOrderBookRequest,
      GetOrderBookResponse,
      { token: user.token },
    );
  let result = await call();
  await waitFor(
    async () => {
      result = await call();
      return result.ok || result.code !== status.UNAVAILABLE;
    },
    15_000,
    `the paper book of ${symbol} to sync`,
  );
  if (!result.ok) throw new Error(`GetOrderBook ${symbol}: ${status[result.code]} ${result.details}`);
  return result.value;
}

describe('the paper venue of a development node', () => {
  it.each(['BTC-USD', 'ETH-USD', 'EUR-USD'])(
    'serves a two-sided generated market for %s that moves',
    async (symbol) => {
      const first = await bookOf(symbol);
      const book = first.book;
      expect(book?.bids.length).toBeGreaterThan(0);
      expect(book?.asks.length).toBeGreaterThan(0);
      const bestBid = Price.parse(book?.bids[0]?.price?.value ?? 'missing');
      const bestAsk = Price.parse(book?.asks[0]?.price?.value ?? 'missing');
      expect(bestBid.lt(bestAsk)).toBe(true);
      // The generator keeps trading while the venue actor is active: the book's sequence advances.
      await waitFor(
        async () => ((await bookOf(symbol)).book?.sequence ?? 0) > (book?.sequence ?? 0),
        10_000,
        `${symbol} to move`,
      );
    },
  );
});
