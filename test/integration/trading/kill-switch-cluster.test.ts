// Issue 6 acceptance: "the kill switch stops new orders cluster-wide within one second", across
// real node processes: two trading nodes (etcd membership) each own one of two accounts' order
// managers; the cluster-wide switch is set once (risk/cluster, wherever it lives) and both refuse
// new orders with KILL_SWITCH, cancels still pass, and releasing it lets orders through again on
// both. How long each node took is printed (the design figure is the 500 ms poll); the test waits
// up to 10 s, since timing assertions do not belong in tests on a loaded machine.
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadOrCreateCa } from '../../../cluster/index.ts';
import { InvalidArgumentError, RiskRejectedError } from '../../../domain/index.ts';
import { cancelOrder, placeOrder, updateRiskLimits } from '../../../nodes/trading.ts';
import { MigrationRunner } from '../../../persistence/index.ts';
import type { BinanceUsSimulator } from '../../../venues/sim/binanceus/index.ts';
import { createTestDatabase, testLogger, waitFor } from '../../support/index.ts';
import type { TestDatabase } from '../../support/index.ts';
import { eventually, tempDir, uniqueClusterName } from '../cluster-node/cluster-node-harness.ts';
import { INSTRUMENT, startCrashVenue, startDriver, startTradingNode } from './crash-harness.ts';
import type { Driver, TradingNodeProcess } from './crash-harness.ts';

const NODES = ['k1', 'k2'] as const;

/**
 * A refusal by the kill switch. The order managers live in the node processes and the driver is
 * another member, so every refusal crosses the wire: it must still be RiskRejectedError with its
 * reason code, as a caller on the owner node sees it (cluster/remote/errors.ts).
 */
function refusedByKillSwitch(error: unknown): boolean {
  return error instanceof RiskRejectedError && error.reason === 'KILL_SWITCH';
}

describe('cluster-wide kill switch across two node processes', () => {
  let database: TestDatabase;
  let dirs: { dir: string; remove: () => Promise<void> };
  let venue: BinanceUsSimulator;
  let driver: Driver;
  const nodes: TradingNodeProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase({ poolMax: 4 });
    await new MigrationRunner({ database: database.pool, logger: testLogger('migrations') }).up();
    dirs = await tempDir('gekko-kill-switch-');
    const tlsDir = join(dirs.dir, 'tls');
    await loadOrCreateCa(tlsDir);
    venue = await startCrashVenue(7);
    const etcdEndpoints = inject('etcdEndpoints');
    const clusterName = uniqueClusterName();
    for (const nodeId of NODES) {
      const dataDir = join(dirs.dir, nodeId);
      await mkdir(dataDir, { recursive: true });
    }
    nodes.push(
      ...(await Promise.all(
        NODES.map((nodeId) =>
          startTradingNode({
            nodeId,
            etcdEndpoints,
            clusterName,
            databaseUrl: database.url,
            tlsDir,
            dataDir: join(dirs.dir, nodeId),
            venue,
          }),
        ),
      )),
    );
    driver = await startDriver({ etcdEndpoints, clusterName, tlsDir, pool: database.pool });
    await eventually(
      () => driver.cluster.membership.members().filter((m) => m.state === 'up').length === 3,
      20_000,
      'both trading nodes and the driver up',
    );
  }, 120_000);

  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.kill('SIGTERM')));
    await driver?.stop();
    await venue?.close();
    await database?.drop();
    await dirs?.remove();
  }, 60_000);

  /** An account whose order manager lives on `nodeId`. */
  function accountOn(nodeId: string): string {
    for (;;) {
      const account = randomUUID();
      if (driver.cluster.ownerOf(`orders/${account}`)?.nodeId === nodeId) return account;
    }
  }

  const order = (clientOrderId: string) =>
    ({
      clientOrderId,
      instrumentId: INSTRUMENT,
      side: 'BUY',
      type: 'LIMIT',
      quantity: '0.001000',
      price: '29000.00',
    }) as const;

  it('refuses new orders on every node once set, lets cancels through, and trades again once released', async () => {
    const accounts = NODES.map((nodeId) => ({ nodeId, account: accountOn(nodeId) }));
    for (const { account } of accounts) {
      const resting = await placeOrder(driver.cluster, account, order('before'), { retries: 100 });
      expect(resting.status).toBe('ACKNOWLEDGED');
      // Bad input from another node names its field, as on the owner node.
      const invalid = await placeOrder(driver.cluster, account, {
        ...order('bad-quantity'),
        quantity: '0',
      }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(invalid).toBeInstanceOf(InvalidArgumentError);
      expect((invalid as InvalidArgumentError).field).toBe('quantity');
    }

    await updateRiskLimits(driver.cluster, 'cluster', { killSwitch: true });
    const setAt = performance.now();
    try {
      const took = await Promise.all(
        accounts.map(async ({ nodeId, account }) => {
          await waitFor(
            async () =>
              await placeOrder(driver.cluster, account, order(`probe-${randomUUID().slice(0, 8)}`), {
                retries: 0,
              })
                .then(() => false)
                .catch((error: unknown) => refusedByKillSwitch(error)),
            10_000,
            `the kill switch on ${nodeId}`,
          );
          return `${nodeId} ${(performance.now() - setAt).toFixed(0)} ms`;
        }),
      );
      console.log(`cluster kill switch set → new orders refused: ${took.join(', ')} (poll 500 ms)`);
      for (const { account } of accounts) {
        const cancelled = await cancelOrder(driver.cluster, account, 'before', { retries: 10 });
        expect(['PENDING_CANCEL', 'CANCELLED']).toContain(cancelled.status);
      }
    } finally {
      await updateRiskLimits(driver.cluster, 'cluster', { killSwitch: false });
    }
    for (const { nodeId, account } of accounts) {
      await waitFor(
        async () =>
          await placeOrder(driver.cluster, account, order(`after-${randomUUID().slice(0, 8)}`), {
            retries: 0,
          })
            .then(() => true)
            .catch(() => false),
        10_000,
        `orders accepted again on ${nodeId}`,
      );
    }
  }, 90_000);
});
