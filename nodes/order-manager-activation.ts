// Order managers are virtual actors: one nobody messages is not running. After a node restart or a
// failover, the open orders of an account whose manager now belongs to this node would then not be
// reconciled with the venue (fills missed while the node was down, orders cancelled at the venue)
// until a client or a venue event touched it. This activates them without waiting.
import type pg from 'pg';
import type { ClusterNode } from '../cluster/index.ts';
import { ActorKind } from '../cluster/index.ts';
import { isNinjaError } from '../domain/index.ts';
import type { Logger } from '../observability/index.ts';
import type { OrdersCommand, ReconcileReport } from '../actors/orders/index.ts';

export interface OrderManagerActivationOptions {
  readonly node: ClusterNode;
  readonly pool: pg.Pool;
  readonly logger: Logger;
  /** Activations in flight at once (each recovers its journal and reads its venues). Default 4. */
  readonly concurrency?: number;
  /**
   * Tries per identity while its activation is refused as retryable (e.g. the old lease not yet
   * expired) or its recovery pass reports anomalies (e.g. a venue not connected yet). Default 10.
   */
  readonly attempts?: number;
  readonly retryDelayMs?: number;
  readonly timeoutMs?: number;
}

export interface OrderManagerActivation {
  /** Resolves when the pass running now (and any pass it asked for) has ended. */
  idle(): Promise<void>;
  stop(): void;
}

const ORDERS_PREFIX = `${ActorKind.orders}/`;

/**
 * Activates, on this node, every order manager it owns that was ever activated in the cluster
 * (`actor_activations`): each runs its recovery reconciliation at once. Runs at once, and again after
 * a membership change that can move identities here (a member left or changed state, or this node's
 * membership recovered). A manager already running here is left alone.
 *
 * Every manager ever activated is a superset of those with open orders: one with none recovers,
 * reconciles (finding nothing) and stays resident, as it would after its first message.
 */
export function startOrderManagerActivation(options: OrderManagerActivationOptions): OrderManagerActivation {
  const { node, logger } = options;
  const concurrency = options.concurrency ?? 4;
  const attempts = options.attempts ?? 10;
  const retryDelayMs = options.retryDelayMs ?? 1_000;
  const timeoutMs = options.timeoutMs ?? 30_000;
  let stopped = false;
  let running: Promise<void> | undefined;
  let again = false;
  let debounce: ReturnType<typeof setTimeout> | undefined;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      setTimeout(resolve, ms).unref();
    });

  async function owned(): Promise<string[]> {
    const result = await options.pool.query<{ identity: string }>(
      'SELECT identity FROM actor_activations WHERE identity LIKE $1 ORDER BY identity',
      [`${ORDERS_PREFIX}%`],
    );
    const local = new Set(node.localIdentities().map((id) => id.text));
    return result.rows
      .map((row) => row.identity)
      .filter((identity) => !local.has(identity) && node.ownerOf(identity)?.nodeId === node.nodeId);
  }

  async function activate(identity: string): Promise<boolean> {
    for (let attempt = 1; !stopped; attempt += 1) {
      try {
        const report = await node.request<ReconcileReport, OrdersCommand>(
          identity,
          (replyTo) => ({ type: 'reconcile', trigger: 'recovery', replyTo }),
          { timeoutMs },
        );
        // A pass that could not read a venue (still connecting at start: its reads give up after
        // 5 s) would otherwise wait for the periodic one; pass again soon, a bounded number of times.
        if (report.anomalies.length === 0 || attempt >= attempts) return true;
        logger.debug({ identity, attempt, anomalies: report.anomalies }, 'recovery pass incomplete; again');
        await pause(retryDelayMs);
        continue;
      } catch (error) {
        // Moved to another member meanwhile: its new owner activates it.
        if (node.ownerOf(identity)?.nodeId !== node.nodeId) return true;
        const retryable = isNinjaError(error) && error.retryable;
        if (!retryable || attempt >= attempts) {
          logger.warn(
            { err: error, identity, attempt },
            'order manager not activated at start; it will be on its next message',
          );
          return false;
        }
        await pause(retryDelayMs);
      }
    }
    return false;
  }

  async function pass(): Promise<void> {
    const startedAt = performance.now();
    const identities = await owned();
    let activated = 0;
    let failed = 0;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (!stopped && next < identities.length) {
        const identity = identities[next];
        next += 1;
        if (identity === undefined) continue;
        if (await activate(identity)) activated += 1;
        else failed += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, identities.length) }, worker));
    if (identities.length > 0 || failed > 0) {
      logger.info(
        { activated, failed, ms: Math.round(performance.now() - startedAt) },
        'order managers owned here activated and reconciled',
      );
    }
  }

  function run(): void {
    if (stopped) return;
    if (running !== undefined) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await pass();
        } catch (error) {
          logger.warn(
            { err: error },
            'order managers owned here not listed; they activate on their next message',
          );
        }
      } while (again && !stopped);
    })().finally(() => {
      running = undefined;
    });
  }

  const unsubscribe = node.membership.subscribe((event) => {
    if (event.type !== 'member-left' && event.type !== 'member-updated' && event.type !== 'recovered') return;
    if (debounce !== undefined) clearTimeout(debounce);
    debounce = setTimeout(run, 500);
    debounce.unref();
  });
  run();

  return {
    idle: async () => {
      while (running !== undefined) await running;
    },
    stop: () => {
      stopped = true;
      unsubscribe();
      if (debounce !== undefined) clearTimeout(debounce);
    },
  };
}
