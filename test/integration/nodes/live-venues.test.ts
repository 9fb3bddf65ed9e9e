// A node connects to the live venues its configuration names, as an operator would set it up: a
// real `gekko node start` process given only environment variables (endpoints and API credentials
// of Binance.US, Coinbase and OANDA — here the three simulators, in the test process) trades on each
// venue, and none of the secrets appears in anything it logs.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { venueClientOrderId } from '../../../actors/orders/venue-client-ids.ts';
import { parseAccountId, parseClientOrderId } from '../../../domain/index.ts';
import { placeOrder } from '../../../nodes/trading.ts';
import { startBinanceUsSimulator } from '../../../venues/sim/binanceus/index.ts';
import type { BinanceUsSimulator } from '../../../venues/sim/binanceus/index.ts';
import { startCoinbaseSimulator } from '../../../venues/sim/coinbase/index.ts';
import type { CoinbaseSimulator } from '../../../venues/sim/coinbase/index.ts';
import { startOandaSimulator } from '../../../venues/sim/oanda/index.ts';
import type { OandaSimulator } from '../../../venues/sim/oanda/index.ts';
import { testLogger } from '../../support/index.ts';
import { prepareTradingGround, startDriver, startTradingNode } from '../trading/crash-harness.ts';
import type { Driver, TradingGround, TradingNodeProcess } from '../trading/crash-harness.ts';

describe('a node trades on the live venues of its configuration', () => {
  let ground: TradingGround;
  let binance: BinanceUsSimulator;
  let coinbase: CoinbaseSimulator;
  let oanda: OandaSimulator;
  let driver: Driver;
  let node: TradingNodeProcess | undefined;
  let secrets: string[];
  const logged: string[] = [];

  beforeAll(async () => {
    ground = await prepareTradingGround('gekko-live-venues-');
    const options = { port: 0, seed: 5, seedLevels: 0 } as const;
    binance = await startBinanceUsSimulator({ ...options, logger: testLogger('binanceus-sim') });
    coinbase = await startCoinbaseSimulator({ ...options, logger: testLogger('coinbase-sim') });
    oanda = await startOandaSimulator({ ...options, logger: testLogger('oanda-sim') });
    const privateKey = coinbase.privateKeyPem;
    if (privateKey === undefined) throw new Error('the Coinbase simulator generated no key');
    secrets = [binance.apiSecret, oanda.token, privateKey.split('\n')[1] ?? privateKey];
    node = await startTradingNode({
      ...ground.nodeOptions('live-venues', binance),
      venueEnv: {
        NINJA_BINANCEUS_REST_URL: binance.restUrl,
        NINJA_BINANCEUS_WS_URL: binance.wsUrl,
        NINJA_BINANCEUS_API_KEY: binance.apiKey,
        NINJA_BINANCEUS_API_SECRET: binance.apiSecret,
        NINJA_BINANCEUS_SYMBOLS: 'BTCUSD',
        NINJA_COINBASE_REST_URL: coinbase.restUrl,
        NINJA_COINBASE_WS_MARKET_URL: coinbase.wsMarketUrl,
        NINJA_COINBASE_WS_USER_URL: coinbase.wsUserUrl,
        NINJA_COINBASE_KEY_NAME: coinbase.keyName,
        NINJA_COINBASE_PRIVATE_KEY: privateKey,
        NINJA_COINBASE_PRODUCTS: 'BTC-USD',
        NINJA_OANDA_REST_URL: oanda.restUrl,
        NINJA_OANDA_STREAM_URL: oanda.streamUrl,
        NINJA_OANDA_ACCOUNT_ID: oanda.accountId,
        NINJA_OANDA_TOKEN: oanda.token,
      },
      onLine: (line) => logged.push(line),
    });
    driver = await startDriver(ground.driverOptions());
  }, 120_000);

  afterAll(async () => {
    await node?.kill('SIGTERM');
    await driver?.stop();
    await Promise.all([binance?.close(), coinbase?.close(), oanda?.close()]);
    await ground?.remove();
  }, 60_000);

  it('connects every configured venue and the paper venue', () => {
    const line = logged.find((l) => l.includes('"msg":"venue connectors configured"'));
    expect(line, node?.logTail()).toBeDefined();
    const venues = (JSON.parse(line ?? '{}') as { venues?: string[] }).venues;
    expect(venues?.sort()).toEqual(['binanceus', 'coinbase', 'oanda', 'paper']);
  });

  it('places a limit order on each venue through the node, once', async () => {
    const account = parseAccountId(randomUUID());
    const orders = [
      { venue: binance, instrumentId: 'BTCUSD.BINANCEUS', quantity: '0.010000', price: '29000.00' },
      { venue: coinbase, instrumentId: 'BTC-USD.COINBASE', quantity: '0.01', price: '29000.00' },
      { venue: oanda, instrumentId: 'EUR_USD.OANDA', quantity: '10000', price: '1.09000' },
    ];
    for (const [index, order] of orders.entries()) {
      const clientOrderId = `live-${String(index)}`;
      const placed = await placeOrder(
        driver.cluster,
        account,
        {
          clientOrderId,
          instrumentId: order.instrumentId,
          side: 'BUY',
          type: 'LIMIT',
          quantity: order.quantity,
          price: order.price,
        },
        { retries: 100 },
      );
      expect(placed.status, `${order.instrumentId}: ${node?.logTail(/error|warn/) ?? ''}`).toBe(
        'ACKNOWLEDGED',
      );
      const venueId = venueClientOrderId(account, parseClientOrderId(clientOrderId));
      expect(order.venue.control.acceptedCount(venueId), order.instrumentId).toBe(1);
    }
  }, 90_000);

  it('logs none of the venue secrets', () => {
    const text = logged.join('\n');
    for (const secret of secrets) expect(text.includes(secret)).toBe(false);
  });
});
