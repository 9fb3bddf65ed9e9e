/**
 * The paper matching engine (venues/paper) on one core: orders processed per second for a realistic
 * mix — limit orders resting around the touch, marketable orders crossing the spread (market and IOC
 * limit), and cancels of resting orders — across several accounts with exact balances and fees.
 * Run: `node cli/bin/run-ts.js bench/paper-engine.bench.ts`. Exits non-zero when the target is missed.
 *
 * Commands are built inside the timed loop from pre-parsed Price/Quantity pools (as a venue adapter
 * would hand them over), so the figure includes building the command and reading the result.
 * Cancels that find the order already filled are done but not counted. Rounds are time-bounded, so the
 * run takes about 11 s whatever the speed. The headline is wall-clock; the CPU-time figure is printed
 * beside it because on a shared machine other processes take the core.
 */
import { availableParallelism, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { FixedDecimal, Price, Quantity } from '../domain/values/index.ts';
import { MatchingEngine, Prng } from '../venues/paper/index.ts';
import type { SubmitOrder } from '../venues/paper/index.ts';

export interface PaperEngineBenchResult {
  /** Orders per second of wall-clock time, median of the rounds: the headline, compared with the target. */
  readonly ordersPerSecond: number;
  /**
   * Orders per second of CPU time used by the whole process (garbage-collector threads included), median
   * of the rounds. Above the wall-clock figure when the collector works in parallel; below it when other
   * processes take the core. Printed beside the headline so a busy machine is visible.
   */
  readonly cpuOrdersPerSecond: number;
  readonly target: number;
  readonly pass: boolean;
  /** Commands counted in the timed rounds. */
  readonly counted: number;
  readonly submits: number;
  readonly cancels: number;
  readonly trades: number;
  readonly restingAtEnd: number;
  readonly loadAverage: number;
}

export interface PaperEngineBenchOptions {
  /** Timed rounds; the median is reported. */
  readonly rounds?: number;
  /** Wall time of one timed round, in milliseconds. */
  readonly roundMs?: number;
  /** Untimed commands first (JIT warm-up and a steady-state book). */
  readonly warmupCommands?: number;
  readonly target?: number;
}

const INSTRUMENT = 'BTCUSD.BINANCEUS';
const ACCOUNTS = 16;
const MID_TICKS = 3_000_000; // 30,000.00 USD
const PRICE_RANGE = 400; // ticks either side of the mid with a pre-built Price
/** Resting orders the driver keeps on the book: above it, cancels outnumber new resting limits. */
const TARGET_RESTING = 10_000;
const SIZE_STEPS = [100, 250, 500, 1_000, 2_000, 5_000, 10_000, 25_000]; // × 0.00001 BTC

interface Pools {
  readonly prices: Price[];
  readonly sizes: Quantity[];
  readonly accounts: string[];
}

function pools(): Pools {
  const prices: Price[] = [];
  for (let t = MID_TICKS - PRICE_RANGE; t <= MID_TICKS + PRICE_RANGE; t++)
    prices.push(Price.fromRaw(BigInt(t), 2));
  const sizes = SIZE_STEPS.map((s) => Quantity.fromRaw(BigInt(s), 5));
  const accounts = Array.from({ length: ACCOUNTS }, (_, i) => `acct-${i}`);
  return { prices, sizes, accounts };
}

function newEngine(): MatchingEngine {
  let time = 1_700_000_000_000;
  const engine = new MatchingEngine({
    instruments: [
      {
        id: INSTRUMENT,
        symbol: 'BTCUSD',
        base: 'BTC',
        quote: 'USD',
        tickSize: Price.parse('0.01'),
        stepSize: Quantity.parse('0.00001'),
        minQty: Quantity.parse('0.00001'),
        maxQty: Quantity.parse('9000'),
        minNotional: FixedDecimal.parse('1'),
      },
    ],
    makerFeeRate: FixedDecimal.parse('0.001'),
    takerFeeRate: FixedDecimal.parse('0.002'),
    clock: () => time++,
    retainClosedOrders: 10_000,
  });
  for (let a = 0; a < ACCOUNTS; a++) {
    engine.deposit(`acct-${a}`, 'USD', '1000000000000');
    engine.deposit(`acct-${a}`, 'BTC', '100000000');
  }
  return engine;
}

/** One driver: its engine, its PRNG and the resting orders it may cancel. */
class Driver {
  readonly engine = newEngine();
  private readonly rng = new Prng(42);
  /**
   * The resting orders it may cancel, as two parallel arrays (account index, order id) rather than an
   * object per order: a client's own bookkeeping, kept out of the engine's figure as far as it can be.
   */
  private readonly restingAccounts: number[] = [];
  private readonly restingIds: string[] = [];
  private nextClient = 0;
  submits = 0;
  cancels = 0;
  trades = 0;

  constructor(private readonly pool: Pools) {}

  private clientOrderId(): string {
    this.nextClient++;
    return 'b' + this.nextClient;
  }

  /** Runs `n` commands; returns how many counted (cancels of already-filled orders do not). */
  run(n: number): number {
    const rng = this.rng;
    const { prices, sizes, accounts } = this.pool;
    const engine = this.engine;
    const restingAccounts = this.restingAccounts;
    const restingIds = this.restingIds;
    let counted = 0;
    for (let i = 0; i < n; i++) {
      const roll = rng.nextUint32() % 100;
      const accountIndex = rng.nextUint32() % ACCOUNTS;
      const account = accounts[accountIndex] as string;
      // 45% cancels while the book is above its target size, 25% below: a stationary book.
      const resting = restingIds.length;
      const cancelShare = resting > TARGET_RESTING ? 45 : 25;
      if (roll < cancelShare && resting > 0) {
        const at = rng.nextUint32() % resting;
        const targetAccount = accounts[restingAccounts[at] as number] as string;
        const targetId = restingIds[at] as string;
        restingAccounts[at] = restingAccounts[resting - 1] as number;
        restingIds[at] = restingIds[resting - 1] as string;
        restingAccounts.pop();
        restingIds.pop();
        const result = engine.cancel(targetAccount, { orderId: targetId }, INSTRUMENT);
        if (result.cancelled) {
          this.cancels++;
          counted++;
        }
        continue;
      }
      const buy = (rng.nextUint32() & 1) === 0;
      const size = sizes[rng.nextUint32() % sizes.length] as Quantity;
      let cmd: SubmitOrder;
      if (roll < 87) {
        // Resting limit: 1..~60 ticks away from the mid on its own side.
        const distance = 1 + Math.min(PRICE_RANGE - 1, Math.floor(rng.nextExponential(12)));
        const price = prices[PRICE_RANGE + (buy ? -distance : distance)] as Price;
        cmd = {
          clientOrderId: this.clientOrderId(),
          instrumentId: INSTRUMENT,
          side: buy ? 'BUY' : 'SELL',
          type: 'LIMIT',
          timeInForce: 'GTC',
          price,
          quantity: size,
        };
      } else if (roll < 94) {
        // Marketable IOC limit a few ticks through the mid.
        const price = prices[PRICE_RANGE + (buy ? 8 : -8)] as Price;
        cmd = {
          clientOrderId: this.clientOrderId(),
          instrumentId: INSTRUMENT,
          side: buy ? 'BUY' : 'SELL',
          type: 'LIMIT',
          timeInForce: 'IOC',
          price,
          quantity: size,
        };
      } else {
        cmd = {
          clientOrderId: this.clientOrderId(),
          instrumentId: INSTRUMENT,
          side: buy ? 'BUY' : 'SELL',
          type: 'MARKET',
          timeInForce: 'IOC',
          quantity: size,
        };
      }
      const result = engine.submit(account, cmd);
      this.submits++;
      counted++;
      if (result.accepted) {
        this.trades += result.fills.length;
        if (result.order.status === 'NEW' || result.order.status === 'PARTIALLY_FILLED') {
          restingAccounts.push(accountIndex);
          restingIds.push(result.order.orderId);
        }
      }
    }
    return counted;
  }

  restingCount(): number {
    const book = this.engine.book(INSTRUMENT);
    return book.bids.length + book.asks.length;
  }
}

const CHUNK = 5_000;

export function runPaperEngineBench(options: PaperEngineBenchOptions = {}): PaperEngineBenchResult {
  const rounds = options.rounds ?? 5;
  const roundMs = options.roundMs ?? 2_000;
  const target = options.target ?? 500_000;
  const driver = new Driver(pools());
  driver.run(options.warmupCommands ?? 300_000);
  const wallRates: number[] = [];
  const cpuRates: number[] = [];
  let total = 0;
  for (let r = 0; r < rounds; r++) {
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    const deadline = start + BigInt(roundMs) * 1_000_000n;
    let counted = 0;
    let now = start;
    while (now < deadline) {
      counted += driver.run(CHUNK);
      now = process.hrtime.bigint();
    }
    const seconds = Number(now - start) / 1e9;
    const cpu = process.cpuUsage(cpuStart);
    wallRates.push(counted / seconds);
    cpuRates.push(counted / ((cpu.user + cpu.system) / 1e6));
    total += counted;
  }
  const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const ordersPerSecond = median(wallRates);
  return {
    ordersPerSecond,
    cpuOrdersPerSecond: median(cpuRates),
    target,
    pass: ordersPerSecond >= target,
    counted: total,
    submits: driver.submits,
    cancels: driver.cancels,
    trades: driver.trades,
    restingAtEnd: driver.restingCount(),
    loadAverage: loadavg()[0] ?? 0,
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = runPaperEngineBench();
  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
  process.stdout.write(
    `paper engine (node ${process.version}, one thread): ${fmt(result.ordersPerSecond)} orders/s wall-clock, ` +
      `median of rounds; target ≥ ${fmt(result.target)} ${result.pass ? 'PASS' : 'FAIL'}\n` +
      `  per CPU-second of the process (GC threads included): ${fmt(result.cpuOrdersPerSecond)} orders/s; ` +
      `load average ${result.loadAverage.toFixed(2)} on ${availableParallelism()} CPUs\n` +
      `  ${fmt(result.counted)} commands timed; in all ${fmt(result.submits)} submits, ${fmt(result.cancels)} cancels, ` +
      `${fmt(result.trades)} taker fills; ${fmt(result.restingAtEnd)} price levels at the end\n`,
  );
  if (!result.pass) process.exitCode = 1;
}
