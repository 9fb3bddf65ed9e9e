// Issue 6 acceptance, full lifecycle through a real node process (order manager, risk, portfolio
// and the venue connection in `gekko node start`) on the Binance.US simulator: place, partial fill,
// fill, cancel, and a venue rejection with its reason; the portfolio books the fills once.
// (The connector-level lifecycles of each simulator are test/integration/venues/*/order-lifecycle.)
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedDecimal, Price, Quantity } from '../../../domain/index.ts';
import { cancelOrder, getOrder, placeOrder, portfolioOf } from '../../../nodes/trading.ts';
import type { BinanceUsSimulator } from '../../../venues/sim/binanceus/index.ts';
import { waitFor } from '../../support/index.ts';
import {
  COUNTERPARTY,
  INSTRUMENT,
  SYMBOL,
  prepareTradingGround,
  startCrashVenue,
  startDriver,
  startTradingNode,
} from './crash-harness.ts';
import type { Driver, TradingGround, TradingNodeProcess } from './crash-harness.ts';

/** Equal decimals whatever their written precision. */
const same = (a: string, b: string): boolean => FixedDecimal.parse(a).eq(FixedDecimal.parse(b));

describe('order lifecycle through a node process on the Binance.US simulator', () => {
  let ground: TradingGround;
  let venue: BinanceUsSimulator;
  let driver: Driver;
  let node: TradingNodeProcess | undefined;

  beforeAll(async () => {
    ground = await prepareTradingGround('gekko-lifecycle-');
    venue = await startCrashVenue(11);
    node = await startTradingNode(ground.nodeOptions('lifecycle', venue));
    driver = await startDriver(ground.driverOptions());
  }, 120_000);

  afterAll(async () => {
    await node?.kill('SIGTERM');
    await driver?.stop();
    await venue?.close();
    await ground?.remove();
  }, 60_000);

  /** The counterparty sells into our bid (an IOC straight into the simulator's engine). */
  function counterpartySells(quantity: string, price: string): void {
    const result = venue.control.submitAs(COUNTERPARTY, {
      clientOrderId: `cp-${randomUUID()}`,
      instrumentId: SYMBOL,
      side: 'SELL',
      type: 'LIMIT',
      timeInForce: 'IOC',
      quantity: Quantity.parse(quantity),
      price: Price.parse(price),
    });
    if (!result.accepted) throw new Error(`counterparty order refused: ${JSON.stringify(result)}`);
  }

  it('places, partly fills, fills, cancels and is refused by the venue with its reason', async () => {
    const cluster = driver.cluster;
    const account = randomUUID();
    const order = (
      side: 'BUY' | 'SELL',
      clientOrderId: string,
      quantity: string,
      price: string,
      postOnly = false,
    ) =>
      placeOrder(
        cluster,
        account,
        { clientOrderId, instrumentId: INSTRUMENT, side, type: 'LIMIT', quantity, price, postOnly },
        { retries: 100 },
      );
    const statusOf = async (id: string) => (await getOrder(cluster, account, id))?.status;

    const placed = await order('BUY', 'life-1', '0.010000', '29990.00');
    expect(placed.status).toBe('ACKNOWLEDGED');
    counterpartySells('0.004000', '29990.00');
    await waitFor(async () => (await statusOf('life-1')) === 'PARTIALLY_FILLED', 20_000, 'the partial fill');
    const partly = (await getOrder(cluster, account, 'life-1'))?.filledQuantity.toString() ?? '0';
    expect(same(partly, '0.004')).toBe(true);
    counterpartySells('0.006000', '29990.00');
    await waitFor(async () => (await statusOf('life-1')) === 'FILLED', 20_000, 'the fill');

    // Sells from here: the account was never funded, so the balance check reads the venue
    // connection's own balance, which holds what it bought (reloaded after the fill).
    expect((await order('SELL', 'life-2', '0.005000', '30100.00')).status).toBe('ACKNOWLEDGED');
    const cancelling = await cancelOrder(cluster, account, 'life-2');
    expect(['PENDING_CANCEL', 'CANCELLED']).toContain(cancelling.status);
    await waitFor(async () => (await statusOf('life-2')) === 'CANCELLED', 20_000, 'the cancel');

    // A post-only sell at or below the best bid would take liquidity: the venue rejects it.
    venue.control.submitAs(COUNTERPARTY, {
      clientOrderId: `cp-${randomUUID()}`,
      instrumentId: SYMBOL,
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: Quantity.parse('0.010000'),
      price: Price.parse('29900.00'),
    });
    const refused = await order('SELL', 'life-3', '0.002000', '29900.00', true);
    expect(refused.status).toBe('REJECTED');
    expect(refused.rejectReason ?? '').not.toBe('');
    expect(venue.control.engine.openOrders(venue.control.accountId)).toEqual([]);

    await waitFor(
      async () =>
        same(
          (await portfolioOf(cluster, account)).positions.find((p) => p.instrumentId === INSTRUMENT)
            ?.quantity ?? '0',
          '0.01',
        ),
      20_000,
      'the fills booked once in the portfolio',
    );
  }, 90_000);
});
