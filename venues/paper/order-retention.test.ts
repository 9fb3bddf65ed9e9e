import { describe, expect, it } from 'vitest';
import { Price, Quantity } from '../../domain/values/index.ts';
import type { SubmitOrder } from './commands.ts';
import type { PaperOrder } from './paper-order.ts';
import { Prng } from './prng.ts';
import { BTCUSD, testEngine } from './test-support.ts';

const ACCOUNTS = ['a', 'b', 'c'];
const CLIENT_IDS = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5'];

/**
 * Random resting, crossing and cancelling traffic through an engine that retains only a few closed
 * orders (so records are forgotten and reused all the time), checking after every command that each
 * order the engine can still find is exactly the order its events last described.
 */
function run(seed: number, retainClosedOrders: number, commands: number): { found: number; gone: number } {
  const engine = testEngine({ retainClosedOrders });
  for (const account of ACCOUNTS) {
    engine.deposit(account, 'USD', '100000000');
    engine.deposit(account, 'BTC', '100000');
  }
  const latest = new Map<string, PaperOrder>();
  engine.subscribe((event) => {
    if (event.kind === 'order') latest.set(event.order.orderId, event.order);
  });
  const rng = new Prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[rng.nextUint32() % xs.length] as T;
  let found = 0;
  let gone = 0;
  for (let i = 0; i < commands; i++) {
    const account = pick(ACCOUNTS);
    const roll = rng.nextUint32() % 10;
    const known = [...latest.keys()];
    if (roll < 3 && known.length > 0) {
      const orderId = pick(known);
      const owner = latest.get(orderId)?.accountId ?? account;
      engine.cancel(owner, { orderId }, BTCUSD);
    } else {
      const buy = rng.nextUint32() % 2 === 0;
      const ticks = 100_00 + (buy ? -1 : 1) * (rng.nextUint32() % 5) + (roll === 9 ? (buy ? 6 : -6) : 0);
      const cmd: SubmitOrder = {
        clientOrderId: pick(CLIENT_IDS),
        instrumentId: BTCUSD,
        side: buy ? 'BUY' : 'SELL',
        type: 'LIMIT',
        timeInForce: roll === 9 ? 'IOC' : 'GTC',
        price: Price.fromRaw(BigInt(ticks), 2),
        quantity: Quantity.fromRaw(BigInt(1 + (rng.nextUint32() % 4)) * 10_000n, 5),
      };
      engine.submit(account, cmd);
    }
    // Checked every few commands (deep comparisons are the slow part); records are reused throughout.
    if (i % 4 !== 0) continue;
    // Every order is either forgotten or reported exactly as its last event left it.
    for (const [orderId, last] of latest) {
      const now = engine.getOrder(last.accountId, { orderId });
      if (now === undefined) {
        expect(last.status === 'NEW' || last.status === 'PARTIALLY_FILLED').toBe(false);
        gone++;
      } else {
        expect(now).toEqual(last);
        found++;
      }
    }
    // A client id finds the newest order that used it, open or still retained.
    for (const account of ACCOUNTS) {
      for (const clientOrderId of CLIENT_IDS) {
        const byClient = engine.getOrder(account, { clientOrderId });
        if (byClient === undefined) continue;
        expect(byClient).toEqual(latest.get(byClient.orderId));
        const newer = [...latest.values()].filter(
          (o) =>
            o.accountId === account &&
            o.clientOrderId === clientOrderId &&
            BigInt(o.orderId) > BigInt(byClient.orderId),
        );
        expect(newer.every((o) => engine.getOrder(account, { orderId: o.orderId }) === undefined)).toBe(true);
      }
    }
    // Forget what the engine forgot, so the checks stay small.
    for (const [orderId, last] of latest) {
      if (engine.getOrder(last.accountId, { orderId }) === undefined) latest.delete(orderId);
    }
  }
  return { found, gone };
}

describe('closed-order retention', () => {
  it('keeps open and recently closed orders exact while forgetting and reusing older ones', () => {
    for (const seed of [1, 2, 3]) {
      const { found, gone } = run(seed, 4, 1_200);
      expect(found).toBeGreaterThan(300);
      expect(gone).toBeGreaterThan(30);
    }
  });

  it('keeps nothing closed with a retention of zero', () => {
    const { gone } = run(9, 0, 600);
    expect(gone).toBeGreaterThan(30);
  });
});
