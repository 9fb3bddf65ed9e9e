import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Price, Quantity } from '../../../../domain/values/index.ts';
import {
  BinanceUsNoSuchOrderError,
  BinanceUsOrderRejectedError,
  BinanceUsRequestRejectedError,
  UserDataClient,
  DEFAULT_BINANCE_US_CONFIG,
  binanceUsMetrics,
} from '../../../../venues/binanceus/index.ts';
import type { ExecutionReport, UserDataEvent } from '../../../../venues/binanceus/index.ts';
import { startHarness, until } from './harness.ts';
import type { Harness } from './harness.ts';

describe('Binance.US order lifecycle through the connector against the simulator', () => {
  let h: Harness;
  let user: UserDataClient;
  const events: UserDataEvent[] = [];

  beforeAll(async () => {
    h = await startHarness({ seedLevels: 0 });
    user = new UserDataClient({
      config: { ...DEFAULT_BINANCE_US_CONFIG, ...h.config },
      rest: h.client,
      logger: h.logger,
      metrics: binanceUsMetrics(h.metrics),
      onEvent: (e) => events.push(e),
    });
    user.start();
    await until(() => user.connected, 5000, 'user stream');
  });
  afterAll(async () => {
    await user.close();
    await h.close();
  });

  const reports = (clientOrderId: string): ExecutionReport[] =>
    events.flatMap((e) =>
      e.kind === 'executionReport' &&
      (e.event.clientOrderId === clientOrderId || e.event.originalClientOrderId === clientOrderId)
        ? [e.event]
        : [],
    );

  it('reads exchange info with exact filters', async () => {
    const info = await h.client.exchangeInfo();
    const btc = info.symbols.find((s) => s.symbol === 'BTCUSD');
    expect(btc?.tickSize?.toString()).toBe('0.01000000');
    expect(btc?.stepSize?.eq(Quantity.parse('0.000001'))).toBe(true);
    expect(btc?.minNotional?.toString()).toBe('10.00000000');
  });

  it('places a limit order, fills it partly then fully, and reports each step', async () => {
    const placed = await h.client.newOrder({
      symbol: 'BTCUSD',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: Quantity.parse('0.010000'),
      price: Price.parse('29000.00'),
      newClientOrderId: 'life-1',
    });
    expect(placed.state?.status).toBe('NEW');
    expect(placed.fills).toEqual([]);

    // A second account crosses half of it.
    h.sim.control.deposit('BTC', '1', 'other');
    const cross = (id: string) =>
      h.sim.control.submitAs('other', {
        clientOrderId: id,
        instrumentId: 'BTCUSD',
        side: 'SELL',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: Quantity.parse('0.005'),
        price: Price.parse('29000.00'),
      });
    expect(cross('x1').accepted).toBe(true);
    const partial = await h.client.queryOrder({ symbol: 'BTCUSD', origClientOrderId: 'life-1' });
    expect(partial.status).toBe('PARTIALLY_FILLED');
    expect(partial.executedQty.eq(Quantity.parse('0.005'))).toBe(true);

    expect(cross('x2').accepted).toBe(true);
    const filled = await h.client.queryOrder({ symbol: 'BTCUSD', orderId: placed.ack.orderId });
    expect(filled.status).toBe('FILLED');
    expect(filled.cummulativeQuoteQty.toString()).toBe('290.00000000');

    await until(() => reports('life-1').length >= 3, 3000, 'execution reports');
    expect(reports('life-1').map((r) => `${r.executionType}/${r.orderStatus}`)).toEqual([
      'NEW/NEW',
      'TRADE/PARTIALLY_FILLED',
      'TRADE/FILLED',
    ]);
    expect(events.some((e) => e.kind === 'outboundAccountPosition')).toBe(true);
  });

  it('cancels an open order, then reports unknown orders with -2011 and -2013', async () => {
    await h.client.newOrder({
      symbol: 'BTCUSD',
      side: 'SELL',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: Quantity.parse('0.01'),
      price: Price.parse('40000.00'),
      newClientOrderId: 'life-2',
      newOrderRespType: 'ACK',
    });
    expect((await h.client.openOrders('BTCUSD')).map((o) => o.clientOrderId)).toContain('life-2');
    const cancelled = await h.client.cancelOrder({ symbol: 'BTCUSD', origClientOrderId: 'life-2' });
    expect(cancelled.status).toBe('CANCELED');
    expect(cancelled.origClientOrderId).toBe('life-2');
    await until(() => reports('life-2').some((r) => r.executionType === 'CANCELED'), 3000, 'cancel report');
    await expect(h.client.cancelOrder({ symbol: 'BTCUSD', origClientOrderId: 'nope' })).rejects.toMatchObject(
      {
        venueCode: -2011,
        venueMessage: 'Unknown order sent.',
      },
    );
    await expect(h.client.queryOrder({ symbol: 'BTCUSD', origClientOrderId: 'nope' })).rejects.toBeInstanceOf(
      BinanceUsNoSuchOrderError,
    );
  });

  it('cancels all open orders on a symbol', async () => {
    for (const id of ['all-1', 'all-2']) {
      await h.client.newOrder({
        symbol: 'ETHUSD',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: Quantity.parse('0.1'),
        price: Price.parse('1000.00'),
        newClientOrderId: id,
      });
    }
    const cancelled = await h.client.cancelAllOrders('ETHUSD');
    expect(cancelled.map((o) => o.status)).toEqual(['CANCELED', 'CANCELED']);
    expect(await h.client.openOrders('ETHUSD')).toEqual([]);
  });

  it('rejects a filter failure with the venue message naming the filter', async () => {
    const error = await h.client
      .newOrder({
        symbol: 'BTCUSD',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: Quantity.parse('0.01'),
        price: Price.parse('29000.005'),
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BinanceUsRequestRejectedError);
    expect(error).toMatchObject({ venueCode: -1013, venueMessage: 'Filter failure: PRICE_FILTER' });
    await expect(
      h.client.newOrder({
        symbol: 'BTCUSD',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: Quantity.parse('0.0001'),
        price: Price.parse('29000.00'),
      }),
    ).rejects.toMatchObject({ venueCode: -1013, venueMessage: 'Filter failure: MIN_NOTIONAL' });
  });

  it('rejects an order the balance cannot cover with -2010', async () => {
    const error = await h.client
      .newOrder({
        symbol: 'BTCUSD',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: Quantity.parse('1000'),
        price: Price.parse('29000.00'),
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BinanceUsOrderRejectedError);
    expect(error).toMatchObject({
      venueCode: -2010,
      venueMessage: 'Account has insufficient balance for requested action.',
    });
  });

  it('reads account balances as exact decimals', async () => {
    const account = await h.client.account();
    const usd = account.balances.find((b) => b.asset === 'USD');
    expect(usd?.free.add(usd.locked).toString()).toMatch(/^\d+\.\d+$/);
    expect(account.accountType).toBe('SPOT');
  });
});
