// Helpers shared by this folder's tests: a Binance.US-like BTCUSD instrument and short command builders.
import { FixedDecimal, Price, Quantity } from '../../domain/values/index.ts';
import type { SubmitOrder } from './commands.ts';
import type { MatchingEngineOptions } from './engine-options.ts';
import { MatchingEngine } from './matching-engine.ts';
import type { PaperInstrumentSpec } from './paper-instrument.ts';

export const BTCUSD = 'BTCUSD.BINANCEUS';

export const btcusd: PaperInstrumentSpec = {
  id: BTCUSD,
  symbol: 'BTCUSD',
  base: 'BTC',
  quote: 'USD',
  tickSize: Price.parse('0.01'),
  stepSize: Quantity.parse('0.00001'),
  minQty: Quantity.parse('0.00001'),
  maxQty: Quantity.parse('9000'),
  minNotional: FixedDecimal.parse('1.00'),
};

export function testEngine(overrides: Partial<MatchingEngineOptions> = {}): MatchingEngine {
  let time = 1_700_000_000_000;
  return new MatchingEngine({
    instruments: [btcusd],
    makerFeeRate: FixedDecimal.parse('0.001'),
    takerFeeRate: FixedDecimal.parse('0.002'),
    clock: () => time++,
    seed: 7,
    ...overrides,
  });
}

let counter = 0;
function nextId(): string {
  counter++;
  return `c${counter}`;
}

export function limit(
  side: 'BUY' | 'SELL',
  price: string,
  quantity: string,
  extra: Partial<SubmitOrder> = {},
): SubmitOrder {
  return {
    clientOrderId: nextId(),
    instrumentId: BTCUSD,
    side,
    type: 'LIMIT',
    timeInForce: 'GTC',
    price: Price.parse(price),
    quantity: Quantity.parse(quantity),
    ...extra,
  };
}

export function market(
  side: 'BUY' | 'SELL',
  quantity: string,
  extra: Partial<SubmitOrder> = {},
): SubmitOrder {
  return {
    clientOrderId: nextId(),
    instrumentId: BTCUSD,
    side,
    type: 'MARKET',
    timeInForce: 'IOC',
    quantity: Quantity.parse(quantity),
    ...extra,
  };
}

/** Balances as plain strings, for readable assertions. */
export function balanceOf(
  engine: MatchingEngine,
  accountId: string,
  asset: string,
): { free: string; locked: string } {
  const b = engine.balances(accountId).find((x) => x.asset === asset);
  return { free: b?.free.toString() ?? '0', locked: b?.locked.toString() ?? '0' };
}

/** Levels as [price, quantity] strings, best first. */
export function levels(engine: MatchingEngine, depth?: number): { bids: string[][]; asks: string[][] } {
  const book = engine.book(BTCUSD, depth);
  return {
    bids: book.bids.map(([p, q]) => [p.toString(), q.toString()]),
    asks: book.asks.map(([p, q]) => [p.toString(), q.toString()]),
  };
}
