import { describe, expect, it } from 'vitest';
import { Price, Quantity } from '../../domain/values/index.ts';
import type { SubmitOrder } from './commands.ts';
import type { BriefRetention, ForgottenOrder } from './engine-options.ts';
import { MarketDataGenerator } from './market-data-generator.ts';
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
function run(
  seed: number,
  retainClosedOrders: number,
  commands: number,
  briefRetention?: BriefRetention,
): { found: number; gone: number } {
  const forgotten = new Map<string, ForgottenOrder>();
  const engine = testEngine({
    retainClosedOrders,
    ...(briefRetention !== undefined ? { briefRetention } : {}),
    onForget: (order) => {
      expect(forgotten.has(order.orderId)).toBe(false);
      forgotten.set(order.orderId, order);
    },
  });
  const brief = new Set(briefRetention?.accountIds ?? []);
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
      // onForget tells of exactly the orders the engine no longer finds (except short-window ones).
      const told = forgotten.get(orderId);
      if (now === undefined) {
        expect(last.status === 'NEW' || last.status === 'PARTIALLY_FILLED').toBe(false);
        if (brief.has(last.accountId)) expect(told).toBeUndefined();
        else
          expect(told).toEqual({
            accountId: last.accountId,
            orderId,
            clientOrderId: last.clientOrderId,
            instrumentId: last.instrumentId,
          });
        gone++;
      } else {
        expect(told).toBeUndefined();
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

  it('stays exact with one account on a short window of its own', () => {
    for (const seed of [4, 5]) {
      const { found, gone } = run(seed, 64, 1_200, { accountIds: ['c'], closedOrders: 2 });
      expect(found).toBeGreaterThan(300);
      expect(gone).toBeGreaterThan(30);
    }
  });
});

describe('closed-order retention per account', () => {
  const FLOW = [`paper-mm-${BTCUSD}`, `paper-taker-${BTCUSD}`];

  /** Closed client orders, then `actions` of generated flow; what the engine still finds of each. */
  function clientThenFlow(briefRetention: BriefRetention | undefined, actions: number) {
    const engine = testEngine({
      retainClosedOrders: 1_024,
      ...(briefRetention !== undefined ? { briefRetention } : {}),
    });
    engine.deposit('client', 'USD', '1000000');
    const clientIds: string[] = [];
    for (let i = 0; i < 200; i++) {
      const result = engine.submit('client', {
        clientOrderId: `client-${i}`,
        instrumentId: BTCUSD,
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        price: Price.parse('50.00'),
        quantity: Quantity.parse('1'),
      });
      if (!result.accepted) throw new Error(result.message);
      clientIds.push(result.order.orderId);
      engine.cancel('client', { orderId: result.order.orderId }, BTCUSD);
    }
    const flow: { accountId: string; orderId: string }[] = [];
    engine.subscribe((event) => {
      if (event.kind === 'order' && event.execution === 'NEW' && FLOW.includes(event.order.accountId)) {
        flow.push({ accountId: event.order.accountId, orderId: event.order.orderId });
      }
    });
    const generator = new MarketDataGenerator({
      engine,
      instrumentId: BTCUSD,
      seed: 11,
      initialMid: Price.parse('100.00'),
    });
    generator.step(actions);
    const clientFound = clientIds.filter(
      (orderId, i) =>
        engine.getOrder('client', { orderId })?.status === 'CANCELED' &&
        engine.getOrder('client', { clientOrderId: `client-${i}` })?.orderId === orderId,
    ).length;
    const flowFound = flow.filter(({ accountId, orderId }) => engine.getOrder(accountId, { orderId })).length;
    const flowOpen = FLOW.reduce((n, accountId) => n + engine.openOrders(accountId).length, 0);
    return { clientFound, flowFound, flowOpen, flowOrders: flow.length };
  }

  it('keeps clients’ closed orders while the generated flow’s age out of a short window', () => {
    const { clientFound, flowFound, flowOpen, flowOrders } = clientThenFlow(
      { accountIds: FLOW, closedOrders: 256 },
      20_000,
    );
    expect(flowOrders).toBeGreaterThan(5_000);
    expect(clientFound).toBe(200);
    // Open flow orders stay, closed ones only within the short window.
    expect(flowFound).toBeLessThanOrEqual(flowOpen + 256);
    expect(flowFound).toBeGreaterThanOrEqual(flowOpen);
  });

  it('without it the same flow pushes the clients’ closed orders out', () => {
    const { clientFound, flowFound, flowOpen } = clientThenFlow(undefined, 20_000);
    expect(clientFound).toBe(0);
    expect(flowFound).toBeGreaterThan(flowOpen + 256);
  });

  it('refuses a forget listener that is not a function', () => {
    expect(() => testEngine({ onForget: 'drop' as unknown as () => void })).toThrow(/onForget/);
  });

  it('refuses a bad short window', () => {
    expect(() => testEngine({ briefRetention: { accountIds: FLOW, closedOrders: -1 } })).toThrow(
      /briefRetention/,
    );
  });
});
