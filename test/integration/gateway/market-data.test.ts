import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VenueConnectors, registerVenueKinds } from '../../../actors/venue/index.ts';
import { createInstrument } from '../../../domain/index.ts';
import { FixedDecimal, Money, Price, Quantity } from '../../../domain/values/index.ts';
import { MetricsRegistry } from '../../../observability/index.ts';
import { GetOrderBookRequest, GetOrderBookResponse } from '../../../proto/gen/ninja/v1/market_data.ts';
import { MarketDataGenerator, MatchingEngine } from '../../../venues/paper/index.ts';
import { PaperConnector } from '../../../venues/paper/paper-connector.ts';
import { testLogger, waitFor } from '../../support/index.ts';
import { signUp, startGatewayNode } from './gateway-harness.ts';
import type { CallResult, GatewayTestNode, TestUser } from './gateway-harness.ts';

const BTC = createInstrument({
  venue: 'paper',
  symbol: 'BTC-USD',
  baseAsset: 'BTC',
  quoteAsset: 'USD',
  tickSize: Price.parse('0.01'),
  stepSize: Quantity.parse('0.0001'),
  minQuantity: Quantity.parse('0.0001'),
  maxQuantity: Quantity.parse('1000'),
  minNotional: Money.parse('1', 'USD'),
});

let gw: GatewayTestNode;
let alice: TestUser;

beforeAll(async () => {
  const engine = new MatchingEngine({
    instruments: [BTC],
    makerFeeRate: FixedDecimal.parse('0.001'),
    takerFeeRate: FixedDecimal.parse('0.002'),
    clock: () => Date.now(),
    seed: 5,
  });
  new MarketDataGenerator({
    engine,
    instrumentId: BTC.id,
    seed: 5,
    initialMid: Price.parse('30000.00'),
  }).step(300);
  const connectors = new VenueConnectors({
    paper: () =>
      new PaperConnector({
        engine,
        instruments: [BTC],
        accountId: 'gateway-test',
        logger: testLogger('paper'),
      }),
  });
  gw = await startGatewayNode({
    env: { NINJA_ROLES: 'gateway,trading,venue' },
    registerKinds: (node) => registerVenueKinds(node, { connectors, metrics: new MetricsRegistry() }),
  });
  alice = await signUp(gw, 'alice@example.com');
});
afterAll(async () => {
  await gw.stop();
});

const getBook = (symbol: string, depth: number): Promise<CallResult<GetOrderBookResponse>> =>
  gw.grpc.unary(
    '/ninja.v1.MarketDataService/GetOrderBook',
    { instrumentId: { symbol, venue: 'paper' }, depth },
    GetOrderBookRequest,
    GetOrderBookResponse,
    { token: alice.token },
  );

describe('MarketDataService.GetOrderBook', () => {
  it('answers from the book actor book/<venue>/<symbol>, levels as exact decimal strings', async () => {
    let result: CallResult<GetOrderBookResponse> = await getBook('BTC-USD', 5);
    await waitFor(
      async () => {
        result = await getBook('BTC-USD', 5);
        return result.ok || result.code !== status.UNAVAILABLE;
      },
      15_000,
      'the paper book to sync',
    );
    if (!result.ok) throw new Error(`GetOrderBook: ${status[result.code]} ${result.details}`);
    const book = result.value.book;
    expect(book?.instrumentId).toEqual({ symbol: 'BTC-USD', venue: 'paper' });
    expect(book?.bids.length).toBeGreaterThan(0);
    expect(book?.bids.length).toBeLessThanOrEqual(5);
    expect(book?.asks[0]?.price?.value).toMatch(/^\d+\.\d{2}$/);
    const bestBid = Price.parse(book?.bids[0]?.price?.value ?? '0');
    const bestAsk = Price.parse(book?.asks[0]?.price?.value ?? '0');
    expect(bestBid.lt(bestAsk)).toBe(true);
  });

  it('refuses a malformed instrument before asking any actor', async () => {
    expect(await getBook('btc-usd', 5)).toMatchObject({
      ok: false,
      code: status.INVALID_ARGUMENT,
      field: 'instrument_id.symbol',
    });
    expect(await getBook('BTC-USD', 5000)).toMatchObject({
      ok: false,
      code: status.INVALID_ARGUMENT,
      field: 'depth',
    });
  });
});
