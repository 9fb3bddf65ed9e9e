import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Price, Quantity } from '../../../../domain/values/index.ts';
import {
  BinanceUsExecutionClient,
  DEFAULT_BINANCE_US_CONFIG,
  binanceUsMetrics,
} from '../../../../venues/binanceus/index.ts';
import type { ExecutionReport, OrderState } from '../../../../venues/binanceus/index.ts';
import { metricValue, startHarness, until } from './harness.ts';
import type { Harness } from './harness.ts';

describe('Binance.US execution client', () => {
  let h: Harness;
  let execution: BinanceUsExecutionClient;
  const reports: ExecutionReport[] = [];
  const reconciled: OrderState[][] = [];

  beforeAll(async () => {
    h = await startHarness({ seedLevels: 0 });
    execution = new BinanceUsExecutionClient({
      config: { ...DEFAULT_BINANCE_US_CONFIG, ...h.config, reconnectInitialMs: 20 },
      rest: h.client,
      logger: h.logger,
      metrics: binanceUsMetrics(h.metrics),
      symbols: ['BTCUSD'],
      onReport: (r) => reports.push(r),
      onReconciled: (_symbol, open) => reconciled.push([...open]),
    });
    execution.start();
    await until(() => execution.user.connected, 5000, 'user stream');
  });
  afterAll(async () => {
    await execution.close();
    await h.close();
  });

  it('places once, reports over the user stream, and reconciles open orders after a reconnect', async () => {
    const placed = await execution.place({
      symbol: 'BTCUSD',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: Quantity.parse('0.001'),
      price: Price.parse('25000.00'),
      newClientOrderId: 'exec-1',
    });
    expect(placed.outcome).toBe('placed');
    await until(
      () => reports.some((r) => r.clientOrderId === 'exec-1' && r.executionType === 'NEW'),
      3000,
      'NEW report',
    );

    h.sim.control.dropStreams();
    await until(
      async () => (await metricValue(h.metrics, 'binanceus_ws_reconnects_total', { connection: 'user' })) > 0,
      5000,
      'reconnect',
    );
    await until(() => reconciled.length > 0, 5000, 'reconciliation');
    expect(reconciled.at(-1)?.map((o) => o.clientOrderId)).toEqual(['exec-1']);

    await execution.cancel({ symbol: 'BTCUSD', origClientOrderId: 'exec-1' });
    await until(
      () => reports.some((r) => r.originalClientOrderId === 'exec-1' && r.executionType === 'CANCELED'),
      3000,
      'CANCELED report',
    );
    expect(h.sim.control.acceptedCount('exec-1')).toBe(1);
  });
});
