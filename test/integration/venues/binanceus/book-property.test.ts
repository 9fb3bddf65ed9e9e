import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FixedDecimal } from '../../../../domain/values/index.ts';
import { MatchingEngine } from '../../../../venues/paper/index.ts';
import type { PaperBookEvent } from '../../../../venues/paper/index.ts';
import {
  DepthSynchronizer,
  SyncOutcome,
  parseCombinedFrame,
  parseDepthSnapshot,
} from '../../../../venues/binanceus/index.ts';
import type { DepthDiff } from '../../../../venues/binanceus/index.ts';
import { simSymbol, wire } from '../../../../venues/sim/binanceus/common/instruments.ts';
import { binanceOrderFlow } from '../../../../venues/sim/binanceus/order-flow.ts';
import type { SimOrderFlow } from '../../../../venues/sim/order-flow.ts';
import { depthPayload } from '../../../../venues/sim/binanceus/websocket/frames.ts';

const SYMBOL = 'BTCUSD';

/** An engine with seeded flow whose book events are turned into Binance wire frames and parsed back. */
function market(seed: number): {
  engine: MatchingEngine;
  flow: SimOrderFlow;
  diffs: DepthDiff[];
  snapshot: () => ReturnType<typeof parseDepthSnapshot>;
} {
  const s = simSymbol(SYMBOL);
  let time = 1_700_000_000_000;
  const engine = new MatchingEngine({
    instruments: [s.spec],
    makerFeeRate: FixedDecimal.parse('0.001'),
    takerFeeRate: FixedDecimal.parse('0.001'),
    clock: () => time++,
    seed,
  });
  const diffs: DepthDiff[] = [];
  engine.subscribe((event) => {
    if (event.kind !== 'book') return;
    const e: PaperBookEvent = event;
    const frame = JSON.stringify({
      stream: 'btcusd@depth@100ms',
      data: depthPayload(e, Number(e.firstSequence), Number(e.lastSequence)),
    });
    const parsed = parseCombinedFrame(frame);
    if (parsed?.kind === 'depthUpdate') diffs.push(parsed.event);
  });
  const flow = binanceOrderFlow(engine, [s], seed);
  const snapshot = (): ReturnType<typeof parseDepthSnapshot> => {
    const book = engine.book(SYMBOL, 5000);
    return parseDepthSnapshot(
      JSON.parse(
        JSON.stringify({
          lastUpdateId: Number(book.sequence),
          bids: book.bids.map(([p, q]) => [wire(p), wire(q)]),
          asks: book.asks.map(([p, q]) => [wire(p), wire(q)]),
        }),
      ),
    );
  };
  return { engine, flow, diffs, snapshot };
}

function sameBook(sync: DepthSynchronizer, engine: MatchingEngine): void {
  const book = engine.book(SYMBOL);
  const local = sync.book.depth(100_000);
  expect(local.bids.map((l) => `${l.price.toFixed(8)}@${l.quantity.toFixed(8)}`)).toEqual(
    book.bids.map(([p, q]) => `${p.toFixed(8)}@${q.toFixed(8)}`),
  );
  expect(local.asks.map((l) => `${l.price.toFixed(8)}@${l.quantity.toFixed(8)}`)).toEqual(
    book.asks.map(([p, q]) => `${p.toFixed(8)}@${q.toFixed(8)}`),
  );
  expect(sync.book.lastUpdateId).toBe(Number(book.sequence));
}

describe('local order book against the simulator engine book', () => {
  it('snapshot + buffered diffs equals the engine book after 10,000 random updates', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 0, max: 200 }),
        (seed, buffered) => {
          const { engine, flow, diffs, snapshot } = market(seed);
          flow.seed(10);
          const sync = new DepthSynchronizer(SYMBOL);
          let fed = diffs.length;
          // Events arrive before the snapshot is taken: they are buffered, and the snapshot lands mid-stream.
          flow.step(buffered);
          for (; fed < diffs.length; fed++) sync.onDiff(diffs[fed] as DepthDiff);
          expect(sync.onSnapshot(snapshot())).toBe(SyncOutcome.SYNCED);
          let applied = 0;
          for (let rounds = 0; applied < 10_000 && rounds < 1000; rounds++) {
            flow.step(100);
            for (; fed < diffs.length; fed++, applied++) {
              expect(sync.onDiff(diffs[fed] as DepthDiff)).toBe(SyncOutcome.APPLIED);
            }
          }
          expect(applied).toBeGreaterThanOrEqual(10_000);
          sameBook(sync, engine);
        },
      ),
      { numRuns: 3 },
    );
  });

  it('a lost diff event is detected as a gap, and a resync makes the book right again', () => {
    const { engine, flow, diffs, snapshot } = market(42);
    flow.seed(10);
    const sync = new DepthSynchronizer(SYMBOL);
    expect(sync.onSnapshot(snapshot())).toBe(SyncOutcome.SYNCED);
    let fed = diffs.length;
    flow.step(500);
    for (; fed < diffs.length; fed++) sync.onDiff(diffs[fed] as DepthDiff);
    sameBook(sync, engine);
    flow.step(50);
    fed += 1; // this event is lost in transit
    const outcomes: SyncOutcome[] = [];
    for (; fed < diffs.length; fed++) outcomes.push(sync.onDiff(diffs[fed] as DepthDiff));
    expect(outcomes[0]).toBe(SyncOutcome.GAP);
    expect(sync.synced).toBe(false);
    expect(sync.onSnapshot(snapshot())).toBe(SyncOutcome.SYNCED);
    flow.step(500);
    for (; fed < diffs.length; fed++) sync.onDiff(diffs[fed] as DepthDiff);
    sameBook(sync, engine);
  });
});
