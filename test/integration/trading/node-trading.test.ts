import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerPaperVenue } from '../../../nodes/paper-venue.ts';
import {
  cancelOrder,
  getOrder,
  listOrders,
  placeOrder,
  portfolioOf,
  riskLimitsOf,
  updateRiskLimits,
} from '../../../nodes/trading.ts';
import type { PortfolioCommand, PortfolioFillWire, PortfolioView } from '../../../actors/portfolio/index.ts';
import { waitFor } from '../../support/index.ts';
import { startGatewayNode } from '../gateway/gateway-harness.ts';
import type { GatewayTestNode } from '../gateway/gateway-harness.ts';

const BTC = 'BTC-USD.PAPER';

describe('trading on a node (orders, risk, portfolio over the cluster, paper venue)', () => {
  let test: GatewayTestNode;

  beforeAll(async () => {
    test = await startGatewayNode({
      env: { NINJA_ROLES: 'gateway,trading,venue' },
      registerKinds: (node, services) => registerPaperVenue(node, services),
    });
  }, 120_000);

  afterAll(async () => {
    await test?.stop();
  }, 60_000);

  it('places, fills and books an order; the same client order id returns the same order', async () => {
    const cluster = test.node.cluster;
    const account = randomUUID();
    const resting = await placeOrder(cluster, account, {
      clientOrderId: 'rest-1',
      instrumentId: BTC,
      side: 'BUY',
      type: 'LIMIT',
      quantity: '0.0100',
      price: '20000.00',
    });
    expect(resting.status).toBe('ACKNOWLEDGED');
    const again = await placeOrder(cluster, account, {
      clientOrderId: 'rest-1',
      instrumentId: BTC,
      side: 'BUY',
      type: 'LIMIT',
      quantity: '0.0100',
      price: '20000.00',
    });
    expect(again.id).toBe(resting.id);
    const cancelled = await cancelOrder(cluster, account, 'rest-1');
    expect(['PENDING_CANCEL', 'CANCELLED']).toContain(cancelled.status);

    const bought = await placeOrder(cluster, account, {
      clientOrderId: 'take-1',
      instrumentId: BTC,
      side: 'BUY',
      type: 'MARKET',
      quantity: '0.0100',
    });
    // Answered on the venue's answer: a MARKET order taking several levels may show its first fills.
    expect(['ACKNOWLEDGED', 'PARTIALLY_FILLED', 'FILLED']).toContain(bought.status);
    await waitFor(
      async () => (await getOrder(cluster, account, 'take-1'))?.status === 'FILLED',
      20_000,
      'the market order filled (execution stream over the cluster)',
    );
    await waitFor(
      async () => (await portfolioOf(cluster, account)).positions.some((p) => p.instrumentId === BTC),
      20_000,
      'the fill booked in the portfolio',
    );
    const view = await portfolioOf(cluster, account);
    expect(view.positions.find((p) => p.instrumentId === BTC)?.quantity).toBe('0.0100');
    expect((await listOrders(cluster, account)).map((o) => o.clientOrderId).sort()).toEqual([
      'rest-1',
      'take-1',
    ]);
  }, 120_000);

  it('values a position whose mid this node has not read yet as unmarked, without failing the portfolio', async () => {
    const cluster = test.node.cluster;
    const account = randomUUID();
    // A fill on an instrument no order of this node has priced: the risk inputs do not know its mid yet.
    const fill: PortfolioFillWire = {
      instrumentId: 'ETH-USD.PAPER',
      baseAsset: 'ETH',
      quoteAsset: 'USD',
      tradeId: 'eth-1',
      side: 'BUY',
      quantity: '2',
      price: '2000.00',
      fee: { amount: '4.00', currency: 'USD' },
      timestamp: Date.now(),
    };
    await cluster.request<unknown, PortfolioCommand>(
      `portfolio/${account}`,
      (replyTo) => ({ type: 'book-fill', fill, replyTo }),
      { timeoutMs: 10_000 },
    );
    // Asked once, no retries: the first view comes before any poll of the book could have answered.
    const view = await cluster.request<PortfolioView, PortfolioCommand>(
      `portfolio/${account}`,
      (replyTo) => ({ type: 'view', replyTo }),
      { timeoutMs: 10_000 },
    );
    expect(view.positions.find((p) => p.instrumentId === 'ETH-USD.PAPER')?.quantity).toBe('2');
    expect(view.unmarked).toContain('ETH-USD.PAPER');
    // Once the node has read the book, the same view marks the position to it.
    await waitFor(
      async () => {
        const later = await portfolioOf(cluster, account);
        return !later.unmarked.includes('ETH-USD.PAPER');
      },
      20_000,
      'the position marked to the mid once the book was read',
    );
  }, 60_000);

  it('refuses new orders within a second of the cluster kill switch; cancels still pass', async () => {
    const cluster = test.node.cluster;
    const account = randomUUID();
    const order = {
      instrumentId: BTC,
      side: 'BUY',
      type: 'LIMIT',
      quantity: '0.0100',
      price: '20000.00',
    } as const;
    await placeOrder(cluster, account, { ...order, clientOrderId: 'before-kill' });
    await updateRiskLimits(cluster, 'cluster', { killSwitch: true });
    try {
      expect((await riskLimitsOf(cluster, 'cluster')).killSwitch).toBe(true);
      await waitFor(
        async () =>
          await placeOrder(cluster, account, {
            ...order,
            clientOrderId: `after-kill-${randomUUID().slice(0, 8)}`,
          })
            .then(() => false)
            .catch((error: unknown) => (error as { reason?: string }).reason === 'KILL_SWITCH'),
        10_000,
        'the kill switch seen by the order manager',
      );
      const cancelled = await cancelOrder(cluster, account, 'before-kill');
      expect(['PENDING_CANCEL', 'CANCELLED']).toContain(cancelled.status);
    } finally {
      await updateRiskLimits(cluster, 'cluster', { killSwitch: false });
    }
  }, 120_000);
});
