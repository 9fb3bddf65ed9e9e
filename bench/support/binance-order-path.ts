// The order path with the Binance.US simulator as the venue, over its real REST and user stream.
import { JournalGroupCommit } from '../../actors/kernel/persistence/index.ts';
import { Price } from '../../domain/index.ts';
import { MetricsRegistry } from '../../observability/index.ts';
import type { Logger } from '../../observability/index.ts';
import { BinanceUsConnector, BinanceUsCredentials } from '../../venues/binanceus/index.ts';
import { startBinanceUsSimulator } from '../../venues/sim/binanceus/index.ts';
import type { BenchPostgres } from './durable-postgres.ts';
import type { AnsweredOrders } from './intent-check.ts';
import { pacedLoad } from './load.ts';
import type { LoadResult } from './load.ts';
import { placeIoc, startTrader, stopTrader } from './order-path-rig.ts';

/** Binance.US allows 1,200 request weight a minute (the simulator enforces it): a gentle pace. */
const RATE = 10;
const COUNT = 40;

export async function binanceComparison(
  postgres: BenchPostgres,
  logger: Logger,
  answered: AnsweredOrders,
): Promise<{ readonly rate: number; readonly result: LoadResult }> {
  const metrics = new MetricsRegistry();
  const sim = await startBinanceUsSimulator({
    port: 0,
    seed: 5,
    seedLevels: 10,
    symbols: ['BTCUSD'],
    logger,
  });
  const connector = new BinanceUsConnector({
    config: { urls: { rest: sim.restUrl, ws: sim.wsUrl }, requestTimeoutMs: 5_000 },
    credentials: new BinanceUsCredentials(sim.apiKey, sim.apiSecret),
    logger,
    metrics,
    symbols: ['BTCUSD'],
  });
  try {
    await connector.start();
    const instrument = connector.instruments().find((i) => i.symbol === 'BTCUSD');
    const bestBid = sim.control.engine.book('BTCUSD', 1).bids[0];
    if (instrument === undefined || bestBid === undefined)
      throw new Error('the Binance.US simulator has no BTCUSD instrument or no bid');
    const price = Price.parse(bestBid[0].toString());
    const trader = startTrader({
      pool: postgres.pool,
      groupCommit: new JournalGroupCommit({ pool: postgres.pool, metrics, logger }),
      logger,
      metrics,
      venue: connector,
      mid: price,
      instrument,
    });
    try {
      // A buy at the best bid does not cross: the simulator acknowledges it and expires it.
      const send = (prefix: string) => (i: number) =>
        placeIoc(answered, trader, instrument.id, `${prefix}-${i}`, 'BUY', price.toString(), '0.001');
      await pacedLoad(RATE, 5, send('bw'));
      return { rate: RATE, result: await pacedLoad(RATE, COUNT, send('bp')) };
    } finally {
      await stopTrader(trader);
    }
  } finally {
    await connector.close();
    await sim.close();
  }
}
