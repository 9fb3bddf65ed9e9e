import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../observability/index.ts';
import { startOandaSimulator } from '../../../venues/sim/oanda/index.ts';
import type { OandaSimulator } from '../../../venues/sim/oanda/index.ts';

const logger = createLogger({ level: 'silent', name: 'oanda-sim-retention-test' });

describe('OANDA simulator retention options', () => {
  let sim: OandaSimulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  async function call(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: unknown }> {
    if (sim === undefined) throw new Error('no simulator');
    const response = await fetch(`${sim.restUrl}/v3/accounts/${sim.accountId}${path}`, {
      method,
      headers: { authorization: `Bearer ${sim.token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: await response.json() };
  }

  /** Places a resting limit buy far below the market and cancels it: two transactions, one closed order. */
  async function placeAndCancel(clientId: string): Promise<void> {
    const created = await call('POST', '/orders', {
      order: {
        type: 'LIMIT',
        instrument: 'EUR_USD',
        units: '100',
        price: '0.50000',
        timeInForce: 'GTC',
        clientExtensions: { id: clientId },
      },
    });
    expect(created.status).toBe(201);
    expect((await call('PUT', `/orders/@${clientId}/cancel`)).status).toBe(200);
  }

  it('finds only the newest retainClosedOrders closed orders (the simulator’s own records included)', async () => {
    sim = await startOandaSimulator({ port: 0, seed: 1, logger, seedLevels: 0, retainClosedOrders: 4 });
    for (let i = 1; i <= 6; i++) await placeAndCancel(`c${String(i)}`);
    expect((await call('GET', '/orders/@c1')).status).toBe(404);
    expect((await call('GET', '/orders/@c2')).status).toBe(404);
    for (const id of ['c3', 'c4', 'c5', 'c6']) expect((await call('GET', `/orders/@${id}`)).status).toBe(200);
    // The client ids of forgotten orders are no longer counted as accepted.
    expect(sim.control.acceptedCount('c1')).toBe(0);
    expect(sim.control.acceptedCount('c6')).toBe(1);
  });

  it('keeps the newest retainTransactions transactions for sinceid and refuses an older id with a 400', async () => {
    sim = await startOandaSimulator({ port: 0, seed: 1, logger, seedLevels: 0, retainTransactions: 8 });
    for (let i = 1; i <= 10; i++) await placeAndCancel(`t${String(i)}`);
    const summary = await call('GET', '/summary');
    const last = Number((summary.body as { lastTransactionID: string }).lastTransactionID);
    const recent = await call('GET', `/transactions/sinceid?id=${String(last - 8)}`);
    expect(recent.status).toBe(200);
    expect((recent.body as { transactions: unknown[] }).transactions).toHaveLength(8);
    const old = await call('GET', '/transactions/sinceid?id=1');
    expect(old.status).toBe(400);
    expect((old.body as { errorMessage: string }).errorMessage).toMatch(/keeps the newest 8\b/);
  });
});
