import type { MatchingEngine, PaperOrder } from '../../../paper/index.ts';
import type { CompactFill } from '../../compact-fill.ts';
import type { SimApiKey } from './auth.ts';
import type { SimProduct } from './products.ts';
import type { FaultInjector } from '../../faults.ts';

/** What the simulator keeps about one order beyond the engine's view: Coinbase ids, configuration, fills. */
export interface SimOrderRecord {
  /** Coinbase-style UUID. */
  readonly orderId: string;
  readonly accountId: string;
  readonly clientOrderId: string;
  readonly productId: string;
  readonly side: 'BUY' | 'SELL';
  /** `order_configuration` key, e.g. limit_limit_gtc. */
  readonly kind: string;
  /** The configuration as received (echoed back like the venue does). */
  readonly configuration: Readonly<Record<string, unknown>>;
  readonly postOnly: boolean;
  readonly createdAt: number;
  /** GTD orders: epoch ms after which the venue expires the order. */
  readonly endTime: number | undefined;
  /** The engine's latest view; undefined when the venue closed the order without the engine (FOK, no liquidity). */
  last: PaperOrder | undefined;
  /** Status the venue gave an order the engine never held. */
  closedStatus: 'CANCELLED' | 'EXPIRED' | undefined;
  /** Cancelled by the GTD sweep (reported as EXPIRED). */
  expired: boolean;
  /** The order's fills, oldest first (their commissions are derived: `commission` in format.ts). */
  readonly fills: CompactFill[];
}

/** Everything the Coinbase simulator's routes and streams share. */
export interface CoinbaseSimState {
  readonly engine: MatchingEngine;
  readonly products: ReadonlyMap<string, SimProduct>;
  /** Registered API keys by key name. */
  readonly keys: ReadonlyMap<string, SimApiKey>;
  readonly faults: FaultInjector;
  /** The venue's clock: real time plus the injected skew. */
  now(): number;
  /** A fresh order UUID from the engine's seeded generator (same seed, same ids). */
  newUuid(): string;
  // The orders placed through the API, each kept while the engine can still find it (its record is
  // dropped when the engine forgets it: order-records.ts), or, for one the venue closed without the
  // engine (FOK), among the newest KILLED_KEPT of those: bounded by the engine's retention window.
  readonly orders: Map<string, SimOrderRecord>;
  /** `account|client_order_id` → order (the venue's idempotency key, for as long as the order is kept). */
  readonly byClientId: Map<string, SimOrderRecord>;
  /** How many orders still kept were accepted per `account|client_order_id` (tests assert at most one). */
  readonly accepted: Map<string, number>;
  /** GTD orders that may still be open: the expiry sweep looks at these only. */
  readonly gtdOpen: Set<SimOrderRecord>;
  /** Orders the venue closed without the engine holding them (FOK), oldest first. */
  readonly killed: SimOrderRecord[];
  /** Private REST requests allowed per second per key (x-ratelimit-limit). */
  readonly requestsPerSecond: number;
}

export function clientKey(accountId: string, clientOrderId: string): string {
  return `${accountId}|${clientOrderId}`;
}

/** A UUID-shaped id (version 4 layout) from 128 seeded random bits. */
export function uuidFrom(next: () => number): string {
  const hex = [next(), next(), next(), next()].map((n) => (n >>> 0).toString(16).padStart(8, '0')).join('');
  const variant = ((Number.parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
