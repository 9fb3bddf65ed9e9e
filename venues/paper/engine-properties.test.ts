import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FixedDecimal, Price, Quantity, RoundingMode } from '../../domain/values/index.ts';
import type { SubmitOrder } from './commands.ts';
import { MatchingEngine } from './matching-engine.ts';
import type { PaperOrderSide, PaperOrderType, PaperTimeInForce } from './order-enums.ts';
import type { PaperInstrumentSpec } from './paper-instrument.ts';
import { btcusd } from './test-support.ts';

// BTC is the base of one instrument and the quote of the other, so its ledger serves both.
const ethbtc: PaperInstrumentSpec = {
  id: 'ETHBTC.BINANCEUS',
  symbol: 'ETHBTC',
  base: 'ETH',
  quote: 'BTC',
  tickSize: Price.parse('0.00001'),
  stepSize: Quantity.parse('0.001'),
  minQty: Quantity.parse('0.001'),
  maxQty: Quantity.parse('1000'),
  minNotional: FixedDecimal.parse('0.0001'),
};

const ACCOUNTS = ['a', 'b', 'c'] as const;
const DEPOSITS: Record<string, string> = { USD: '5000', BTC: '40', ETH: '200' };

interface Market {
  readonly spec: PaperInstrumentSpec;
  /** Mid price in ticks; commands land within ±3 ticks of it. */
  readonly midTicks: number;
  /** Steps per generated size unit, so that sizes clear the minimum notional. */
  readonly unitSteps: number;
}
const MARKETS: readonly Market[] = [
  { spec: btcusd, midTicks: 10_000, unitSteps: 1_000 }, // 100.00 USD, units of 0.01 BTC
  { spec: ethbtc, midTicks: 5_000, unitSteps: 10 }, // 0.05000 BTC, units of 0.01 ETH
];

type Op =
  | {
      readonly op: 'submit';
      readonly account: number;
      readonly market: number;
      readonly side: PaperOrderSide;
      readonly type: PaperOrderType;
      readonly tif: PaperTimeInForce;
      readonly offset: number;
      readonly stopOffset: number;
      readonly units: number;
      readonly postOnly: boolean;
      readonly byQuote: boolean;
    }
  | { readonly op: 'cancel'; readonly account: number; readonly pick: number }
  | { readonly op: 'cancelAll'; readonly account: number; readonly market: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('submit' as const),
      account: fc.integer({ min: 0, max: 2 }),
      market: fc.integer({ min: 0, max: 1 }),
      side: fc.constantFrom<PaperOrderSide>('BUY', 'SELL'),
      type: fc.constantFrom<PaperOrderType>('LIMIT', 'LIMIT', 'LIMIT', 'MARKET', 'STOP', 'STOP_LIMIT'),
      tif: fc.constantFrom<PaperTimeInForce>('GTC', 'GTC', 'IOC', 'FOK'),
      offset: fc.integer({ min: -3, max: 3 }),
      stopOffset: fc.integer({ min: -4, max: 4 }),
      units: fc.integer({ min: 1, max: 60 }),
      postOnly: fc.boolean(),
      byQuote: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('cancel' as const),
      account: fc.integer({ min: 0, max: 2 }),
      pick: fc.nat(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('cancelAll' as const),
      account: fc.integer({ min: 0, max: 2 }),
      market: fc.integer({ min: 0, max: 1 }),
    }),
  },
);

function toCommand(op: Extract<Op, { op: 'submit' }>, n: number): SubmitOrder {
  const { spec, midTicks, unitSteps } = MARKETS[op.market] as Market;
  const tick = spec.tickSize;
  const price = Price.fromRaw(BigInt(midTicks + op.offset) * tick.raw, tick.precision);
  const stopPrice = Price.fromRaw(BigInt(midTicks + op.offset + op.stopOffset) * tick.raw, tick.precision);
  const quantity = Quantity.fromRaw(
    BigInt(op.units * unitSteps) * spec.stepSize.raw,
    spec.stepSize.precision,
  );
  const hasPrice = op.type === 'LIMIT' || op.type === 'STOP_LIMIT';
  const hasStop = op.type === 'STOP' || op.type === 'STOP_LIMIT';
  const byQuote =
    op.byQuote && op.side === 'BUY' && (op.type === 'MARKET' || op.type === 'STOP') && op.tif !== 'FOK';
  return {
    clientOrderId: `p${n}`,
    instrumentId: spec.id,
    side: op.side,
    type: op.type,
    timeInForce: op.tif,
    quantity: byQuote ? Quantity.zero() : quantity,
    ...(byQuote
      ? { quoteQuantity: FixedDecimal.from(price.mul(quantity)).withPrecision(4, RoundingMode.FLOOR) }
      : {}),
    ...(hasPrice ? { price } : {}),
    ...(hasStop ? { stopPrice } : {}),
    ...(op.postOnly && op.type === 'LIMIT' && op.tif === 'GTC' ? { postOnly: true } : {}),
  };
}

function newEngine(): MatchingEngine {
  let time = 0;
  const engine = new MatchingEngine({
    instruments: [btcusd, ethbtc],
    makerFeeRate: FixedDecimal.parse('0.001'),
    takerFeeRate: FixedDecimal.parse('0.0025'),
    clock: () => ++time,
  });
  for (const account of ACCOUNTS) {
    for (const [asset, amount] of Object.entries(DEPOSITS)) engine.deposit(account, asset, amount);
  }
  return engine;
}

function checkInvariants(engine: MatchingEngine): void {
  // Conservation: every asset's deposits = Σ (free + locked) over accounts + fees collected.
  for (const [asset, amount] of Object.entries(DEPOSITS)) {
    let total = FixedDecimal.zero();
    for (const account of ACCOUNTS) {
      const balance = engine.balances(account).find((b) => b.asset === asset);
      if (balance === undefined) continue;
      expect(balance.free.isNegative() || balance.locked.isNegative()).toBe(false);
      total = total.add(balance.free).add(balance.locked);
    }
    const fee = engine.fees().find((f) => f.asset === asset)?.amount ?? FixedDecimal.zero();
    expect(total.add(fee).eq(FixedDecimal.parse(amount).mul(FixedDecimal.parse('3')))).toBe(true);
  }
  for (const { spec } of MARKETS) {
    const book = engine.book(spec.id);
    const bestBid = book.bids[0]?.[0];
    const bestAsk = book.asks[0]?.[0];
    if (bestBid !== undefined && bestAsk !== undefined) expect(bestBid.lt(bestAsk)).toBe(true);
    let levelTotal = Quantity.zero();
    for (const [, q] of [...book.bids, ...book.asks]) levelTotal = levelTotal.add(q);
    let openRemaining = Quantity.zero();
    for (const account of ACCOUNTS) {
      for (const order of engine.openOrders(account, spec.id)) {
        expect(order.filledQuantity.lte(order.quantity)).toBe(true);
        if (order.triggered) openRemaining = openRemaining.add(order.quantity.sub(order.filledQuantity));
      }
    }
    expect(levelTotal.eq(openRemaining)).toBe(true);
  }
  for (const account of ACCOUNTS) {
    if (engine.openOrders(account).length === 0) {
      for (const balance of engine.balances(account)) expect(balance.locked.isZero()).toBe(true);
    }
  }
}

/** Every order's cumulative quote is Σ price × quantity over the trades it took part in (all retained here). */
function checkCumulativeQuote(
  engine: MatchingEngine,
  placed: readonly { account: string; orderId: string; instrumentId: string }[],
): void {
  const sums = new Map<string, FixedDecimal>();
  for (const { spec } of MARKETS) {
    for (const trade of engine.trades(spec.id)) {
      const notional = trade.price.mul(trade.quantity);
      for (const id of [trade.buyerOrderId, trade.sellerOrderId]) {
        sums.set(id, (sums.get(id) ?? FixedDecimal.zero()).add(notional));
      }
    }
  }
  for (const { account, orderId, instrumentId } of placed) {
    const order = engine.getOrder(account, { orderId }, instrumentId);
    if (order === undefined) throw new Error(`order ${orderId} is not retained`);
    expect(order.cumulativeQuote.eq(sums.get(orderId) ?? FixedDecimal.zero())).toBe(true);
  }
}

describe('MatchingEngine properties', () => {
  it('conserves every asset, never crosses the book, never overfills, keeps book = open orders', () => {
    const seen = { fills: 0, triggered: 0, quoteBuys: 0 };
    const reasons = new Map<string, number>();
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 30, maxLength: 80 }), (ops) => {
        const engine = newEngine();
        const placed: { account: string; orderId: string; instrumentId: string }[] = [];
        ops.forEach((op, n) => {
          const account = ACCOUNTS[op.account] as string;
          if (op.op === 'submit') {
            const cmd = toCommand(op, n);
            const result = engine.submit(account, cmd);
            if (!result.accepted) {
              reasons.set(result.reason, (reasons.get(result.reason) ?? 0) + 1);
            }
            if (result.accepted) {
              seen.fills += result.fills.length;
              if (cmd.quoteQuantity !== undefined && result.fills.length > 0) seen.quoteBuys++;
              if (cmd.stopPrice !== undefined && result.order.triggered) seen.triggered++;
              expect(result.order.filledQuantity.lte(result.order.quantity)).toBe(true);
              placed.push({
                account,
                orderId: result.order.orderId,
                instrumentId: result.order.instrumentId,
              });
            }
          } else if (op.op === 'cancel' && placed.length > 0) {
            const target = placed[op.pick % placed.length] as (typeof placed)[number];
            engine.cancel(target.account, { orderId: target.orderId }, target.instrumentId);
          } else if (op.op === 'cancelAll') {
            engine.cancelAll(account, (MARKETS[op.market] as Market).spec.id);
          }
          checkInvariants(engine);
          checkCumulativeQuote(engine, placed);
        });
      }),
      { numRuns: 150 },
    );
    // The generated sequences do reach the interesting paths.
    expect(seen.fills).toBeGreaterThan(200);
    expect(seen.quoteBuys).toBeGreaterThan(10);
    expect(seen.triggered).toBeGreaterThan(20);
    expect(reasons.size).toBeGreaterThanOrEqual(3);
  });
});
