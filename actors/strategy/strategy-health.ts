import type { MetricsRegistry } from '../../observability/index.ts';

/** `running` until kernel supervision gives up on it; then `FAILED`, with why. */
export const StrategyState = { running: 'running', FAILED: 'FAILED' } as const;
export type StrategyState = (typeof StrategyState)[keyof typeof StrategyState];

export interface StrategyStatus {
  readonly identity: string;
  readonly state: StrategyState;
  /** Crashes (failures handed to supervision) since the node started. */
  readonly crashes: number;
  /** The last failure's message, when there was one. */
  readonly lastError?: string;
  /** A short line of what it did last (quotes, detections). */
  readonly activity: string;
}

/**
 * The supervision intensity of the demo strategies: past `maxRestarts` crashes within `withinMs`
 * the kernel stops the actor, and StrategyHealth marks it FAILED (the same rule, so they agree).
 */
export const STRATEGY_RESTARTS = { maxRestarts: 3, withinMs: 60_000 } as const;

interface Entry {
  state: StrategyState;
  crashes: number;
  /** Times of recent crashes (within the intensity window). */
  readonly recent: number[];
  lastError: string | undefined;
  activity: string;
}

/**
 * What the node knows about its strategies beyond their actors' lives: crash counts, the last
 * failure, and FAILED once it crashed more often than supervision restarts (a restarted or
 * re-activated actor starts with fresh state; this does not). A FAILED strategy ignores ticks and
 * the driver stops sending them, so it stays stopped until the node restarts.
 */
export class StrategyHealth {
  readonly #entries = new Map<string, Entry>();
  readonly #crashes;
  readonly #failed;

  readonly #clock: () => number;

  constructor(metrics: MetricsRegistry, clock: () => number = Date.now) {
    this.#clock = clock;
    this.#crashes = metrics.counter({
      name: 'ninja_strategy_crashes_total',
      help: 'Strategy and arbitrage actor failures handed to supervision, by kind',
      labelNames: ['kind'],
    });
    this.#failed = metrics.counter({
      name: 'ninja_strategy_failed_total',
      help: 'Strategies stopped as FAILED after too many crashes, by kind',
      labelNames: ['kind'],
    });
  }

  #entry(identity: string): Entry {
    let entry = this.#entries.get(identity);
    if (entry === undefined) {
      entry = {
        state: StrategyState.running,
        crashes: 0,
        recent: [],
        lastError: undefined,
        activity: 'starting',
      };
      this.#entries.set(identity, entry);
    }
    return entry;
  }

  /** Declares a strategy (so it is listed before its first tick). */
  declare(identity: string): void {
    this.#entry(identity);
  }

  /**
   * Records a crash; returns true when this crash made it FAILED (more than
   * STRATEGY_RESTARTS.maxRestarts within the window: supervision will not restart it again).
   */
  crashed(identity: string, error: unknown): boolean {
    const entry = this.#entry(identity);
    const now = this.#clock();
    entry.crashes += 1;
    entry.lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    entry.recent.push(now);
    while ((entry.recent[0] as number) <= now - STRATEGY_RESTARTS.withinMs) entry.recent.shift();
    this.#crashes.inc({ kind: kindOf(identity) });
    if (entry.state === StrategyState.FAILED || entry.recent.length <= STRATEGY_RESTARTS.maxRestarts) {
      return false;
    }
    entry.state = StrategyState.FAILED;
    entry.activity = `stopped after ${entry.recent.length} crashes in ${STRATEGY_RESTARTS.withinMs / 1000} s`;
    this.#failed.inc({ kind: kindOf(identity) });
    return true;
  }

  report(identity: string, activity: string): void {
    this.#entry(identity).activity = activity;
  }

  isFailed(identity: string): boolean {
    return this.#entries.get(identity)?.state === StrategyState.FAILED;
  }

  status(identity: string): StrategyStatus {
    const e = this.#entry(identity);
    return {
      identity,
      state: e.state,
      crashes: e.crashes,
      ...(e.lastError === undefined ? {} : { lastError: e.lastError }),
      activity: e.activity,
    };
  }

  all(): StrategyStatus[] {
    return [...this.#entries.keys()].map((identity) => this.status(identity));
  }
}

function kindOf(identity: string): string {
  return identity.split('/')[0] ?? identity;
}
