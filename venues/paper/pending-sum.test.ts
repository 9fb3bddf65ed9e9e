import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { FixedDecimal, Price, Quantity } from '../../domain/values/index.ts';
import type { SubmitOrder } from './commands.ts';
import { MatchingEngine } from './matching-engine.ts';
import type { PaperOrderType, PaperTimeInForce } from './order-enums.ts';
import { PENDING_LIMIT, PendingSum, setPendingLimit } from './pending-sum.ts';
import { Prng } from './prng.ts';
import { BTCUSD, btcusd } from './test-support.ts';

afterEach(() => setPendingLimit(PENDING_LIMIT));

const amountArb = fc.oneof(
  fc.bigInt({ min: -1_000n, max: 1_000n }),
  fc.bigInt({ min: -(2n ** 53n) - 5n, max: 2n ** 53n + 5n }),
  fc.constantFrom(2n ** 52n, -(2n ** 52n), 2n ** 52n + 1n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
);

describe('PendingSum', () => {
  it('equals the plain bigint sum and compares like it after any changes, whatever the limit', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1, 1_000, 2 ** 40, PENDING_LIMIT),
        fc.array(fc.tuple(fc.boolean(), amountArb, amountArb), { maxLength: 60 }),
        (limit, changes) => {
          setPendingLimit(limit);
          const sum = new PendingSum();
          let expected = 0n;
          for (const [adds, amount, probe] of changes) {
            if (adds) {
              sum.add(amount);
              expected += amount;
            } else {
              sum.subtract(amount);
              expected -= amount;
            }
            expect(sum.value).toBe(expected);
            expect(sum.isBelow(probe)).toBe(expected < probe);
            expect(sum.isBelow(expected)).toBe(false);
            expect(sum.isBelow(expected + 1n)).toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses a limit that would not keep the number part exact', () => {
    expect(() => setPendingLimit(2 ** 53)).toThrow(RangeError);
    expect(() => setPendingLimit(-1)).toThrow(RangeError);
    expect(() => setPendingLimit(0.5)).toThrow(RangeError);
  });
});

/** Everything the engine answered and emitted, with bigints as text. */
function transcript(seed: number, commands: number): string {
  let time = 1_700_000_000_000;
  const engine = new MatchingEngine({
    instruments: [btcusd],
    makerFeeRate: FixedDecimal.parse('0.001'),
    takerFeeRate: FixedDecimal.parse('0.0025'),
    clock: () => time++,
    retainClosedOrders: 50,
  });
  const out: unknown[] = [];
  engine.subscribe((event) => out.push(event));
  const accounts = ['a', 'b', 'c'];
  // Large deposits for a and b: balances far above 2^53 at ledger precision, so locks, releases and
  // fees mix amounts on both sides of any limit with balances that never fit. Small ones for c, whose
  // larger orders are refused for funds: the balance comparison on both paths.
  for (const account of accounts) {
    engine.deposit(account, 'USD', account === 'c' ? '40000' : '900000000000');
    engine.deposit(account, 'BTC', account === 'c' ? '2' : '30000000');
  }
  const rng = new Prng(seed);
  const ids: { account: string; orderId: string }[] = [];
  const types: PaperOrderType[] = ['LIMIT', 'LIMIT', 'LIMIT', 'MARKET', 'STOP', 'STOP_LIMIT'];
  const tifs: PaperTimeInForce[] = ['GTC', 'GTC', 'IOC', 'FOK'];
  for (let n = 0; n < commands; n++) {
    const account = accounts[rng.nextInt(accounts.length)] as string;
    const roll = rng.nextInt(100);
    if (roll < 20 && ids.length > 0) {
      const target = ids[rng.nextInt(ids.length)] as { account: string; orderId: string };
      out.push(engine.cancel(target.account, { orderId: target.orderId }, BTCUSD));
      continue;
    }
    if (roll < 23) {
      out.push(engine.cancelAll(account, BTCUSD));
      continue;
    }
    const type = types[rng.nextInt(types.length)] as PaperOrderType;
    const side = rng.nextInt(2) === 0 ? 'BUY' : 'SELL';
    const tif = tifs[rng.nextInt(tifs.length)] as PaperTimeInForce;
    const ticks = 3_000_000 + rng.nextInt(41) - 20;
    // Sizes from one step up to 9,000 BTC: quantities, notionals and fees of every magnitude.
    const steps = [1, 37, 1_000, 250_000, 90_000_000][rng.nextInt(5)] as number;
    const price = Price.fromRaw(BigInt(ticks), 2);
    const stop = Price.fromRaw(BigInt(ticks + rng.nextInt(9) - 4), 2);
    const byQuote =
      side === 'BUY' && (type === 'MARKET' || type === 'STOP') && tif !== 'FOK' && rng.nextInt(3) === 0;
    const cmd: SubmitOrder = {
      clientOrderId: `d${n % 40}`,
      instrumentId: BTCUSD,
      side,
      type,
      timeInForce: tif,
      quantity: byQuote ? Quantity.zero(5) : Quantity.fromRaw(BigInt(steps), 5),
      ...(byQuote ? { quoteQuantity: FixedDecimal.fromRaw(BigInt(steps) * 3_000n, 2) } : {}),
      ...(type === 'LIMIT' || type === 'STOP_LIMIT' ? { price } : {}),
      ...(type === 'STOP' || type === 'STOP_LIMIT' ? { stopPrice: stop } : {}),
    };
    const result = engine.submit(account, cmd);
    out.push(result);
    if (result.accepted) ids.push({ account, orderId: result.order.orderId });
  }
  for (const account of accounts) out.push(engine.balances(account), engine.openOrders(account));
  out.push(engine.fees(), engine.book(BTCUSD), engine.trades(BTCUSD));
  return JSON.stringify(out, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value));
}

describe('MatchingEngine with and without the pending-number path', () => {
  it('answers, emits and ends identically on random command sequences', () => {
    for (let seed = 1; seed <= 12; seed++) {
      setPendingLimit(0);
      const exact = transcript(seed, 400);
      setPendingLimit(PENDING_LIMIT);
      const fast = transcript(seed, 400);
      setPendingLimit(1_000_000);
      const mixed = transcript(seed, 400);
      expect(fast).toBe(exact);
      expect(mixed).toBe(exact);
      // The sequences do trade.
      expect(exact).toContain('"liquidity":"TAKER"');
      expect(exact).toContain('INSUFFICIENT_BALANCE');
    }
  });
});
