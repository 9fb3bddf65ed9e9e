// Issue 6: reconciliation "after its own restart" must not wait for a client. A real node process
// holds an account's resting order; the node is killed, the venue fills the order meanwhile, the
// node starts again — and the fill reaches the order manager's journal without any call to it
// (nodes/order-manager-activation.ts activates the order managers the node owns at start).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Price, Quantity } from '../../../domain/index.ts';
import { placeOrder } from '../../../nodes/trading.ts';
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
  venueRecord,
} from './crash-harness.ts';
import type { Driver, TradingGround, TradingNodeProcess } from './crash-harness.ts';

describe('order managers are activated when their node starts', () => {
  let ground: TradingGround;
  let venue: BinanceUsSimulator;
  let driver: Driver | undefined;
  let node: TradingNodeProcess | undefined;
  let startNode: () => Promise<TradingNodeProcess>;

  beforeAll(async () => {
    ground = await prepareTradingGround('gekko-restart-activation-');
    venue = await startCrashVenue(11);
    startNode = () => startTradingNode(ground.nodeOptions('restarted', venue));
    node = await startNode();
    driver = await startDriver(ground.driverOptions());
  }, 120_000);

  afterAll(async () => {
    await node?.kill('SIGTERM');
    await driver?.stop();
    await venue?.close();
    await ground?.remove();
  }, 60_000);

  /** Journal events of `orders/<account>` of one type. */
  async function journaled(account: string, eventType: string): Promise<number> {
    const result = await ground.database.pool.query<{ n: string }>(
      'SELECT count(*) AS n FROM actor_journal WHERE identity = $1 AND event_type = $2',
      [`orders/${account}`, eventType],
    );
    return Number(result.rows[0]?.n ?? '0');
  }

  it('reconciles an open order filled at the venue while the node was down, with no client call', async () => {
    const running = driver;
    if (running === undefined) throw new Error('no driver');
    const account = randomUUID();
    const order = await placeOrder(
      running.cluster,
      account,
      {
        clientOrderId: 'resting-1',
        instrumentId: INSTRUMENT,
        side: 'BUY',
        type: 'LIMIT',
        quantity: '0.010000',
        price: '29000.00',
      },
      { retries: 100 },
    );
    expect(order.status).toBe('ACKNOWLEDGED');
    // The driver stops too, so nothing but the node itself can reach the order manager afterwards.
    await running.stop();
    driver = undefined;
    await node?.kill('SIGKILL');

    // While the node is down the venue fills the order completely.
    const fill = venue.control.submitAs(COUNTERPARTY, {
      clientOrderId: `cp-${randomUUID()}`,
      instrumentId: SYMBOL,
      side: 'SELL',
      type: 'LIMIT',
      timeInForce: 'IOC',
      quantity: Quantity.parse('0.010000'),
      price: Price.parse('29000.00'),
    });
    expect(fill.accepted).toBe(true);
    expect(venueRecord(venue, account, 'resting-1').order?.status).toBe('FILLED');
    expect(await journaled(account, 'FILLED')).toBe(0);

    node = await startNode();
    await waitFor(
      async () => (await journaled(account, 'FILLED')) === 1,
      30_000,
      'the fill journaled by the restarted node without a client call',
    );
    const restarted = node;
    await waitFor(
      () => restarted.logTail(/order managers owned here activated/).includes('"activated":1'),
      10_000,
      'the start-up activation logged',
    );
  }, 120_000);
});
