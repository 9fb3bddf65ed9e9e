// Smart order routing on a node (docs/trading.md, "Smart order routing"): finds the caller's
// accounts whose venue lists the market, reads each venue's book through the cluster, plans with
// domain/routing, records the plan (route_plans) before any child is sent, then places each leg
// as an IOC limit order through the leg account's order manager. The plan id makes it idempotent.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { BookView } from '../actors/book/index.ts';
import type { VenueInstrumentsWire } from '../actors/venue/instrument-wire.ts';
import { fromVenueInstrumentsWire } from '../actors/venue/instrument-wire.ts';
import type { VenueCommand } from '../actors/venue/venue-messages.ts';
import type { BookCommand } from '../actors/book/index.ts';
import type { ClusterNode } from '../cluster/index.ts';
import {
  FailedPreconditionError,
  FixedDecimal,
  InternalError,
  InvalidArgumentError,
  Price,
  UnavailableError,
  Quantity,
  assertCurrencyCode,
  isAccountId,
  isNinjaError,
  parseOrderSide,
} from '../domain/index.ts';
import type { Instrument, Order, OrderSide } from '../domain/index.ts';
import { planRoute } from '../domain/routing/index.ts';
import type { RouteLevel, RoutePlan, RouteVenueInput } from '../domain/routing/index.ts';
import type { Logger } from '../observability/index.ts';
import { PAPER_FEES } from './paper-venue.ts';
import { RoutePlanStore } from './route-plan-store.ts';
import type { RouteLegRecord, RoutePlanRecord, RouteRequestRecord } from './route-plan-store.ts';
import { placeOrder } from './trading.ts';

/**
 * Taker fee rates the planner folds into prices when a node names none: the built-in paper
 * venue's and the simulators' (venues/sim/<venue>/simulator.ts). A production node passes its
 * accounts' tier rates; a venue without a rate gets no leg (a fee is never guessed).
 */
export const DEFAULT_TAKER_FEES: Readonly<Record<string, string>> = {
  paper: PAPER_FEES.taker,
  binanceus: '0.001',
  coinbase: '0.006',
  oanda: '0',
};

/** Book levels read per venue. */
export const ROUTE_BOOK_DEPTH = 50;
/** Legs per plan are at most one per venue; the index is part of each child's client order id. */
const MAX_ACCOUNTS = 16;

/** One of the caller's accounts (the caller's ownership is checked before it gets here). */
export interface RouteAccount {
  readonly id: string;
  readonly venue: string;
}

export interface RouteOrderInput {
  readonly userId: string;
  /** The route's idempotency key (a UUID); a new one when absent. */
  readonly planId?: string;
  readonly base: string;
  readonly quote: string;
  readonly side: string;
  readonly quantity: string;
  readonly limitPrice?: string;
  /** The accounts to route over; each venue at most once. */
  readonly accounts: readonly RouteAccount[];
  /** Whether `accounts` were named by the caller (each must list the market) or are all of theirs (those that do not are left out). */
  readonly explicitAccounts: boolean;
}

/** One child as placed: the order, or why placing it failed. */
export interface RouteChild {
  readonly leg: RouteLegRecord;
  readonly order?: Order;
  readonly error?: { readonly code: string; readonly message: string };
}

export interface RouteOrderResult {
  readonly plan: RoutePlanRecord;
  /** False when the plan id was already recorded: its legs were replayed, nothing was planned. */
  readonly created: boolean;
  readonly children: readonly RouteChild[];
}

export interface RouterOptions {
  readonly cluster: ClusterNode;
  readonly pool: pg.Pool;
  readonly logger: Logger;
  /** Taker fee rate by venue, decimal text. Default DEFAULT_TAKER_FEES. */
  readonly takerFees?: Readonly<Record<string, string>>;
  /** Per cluster request. Default 10,000 ms. */
  readonly timeoutMs?: number;
}

export interface Router {
  route(input: RouteOrderInput, options?: { readonly correlationId?: string }): Promise<RouteOrderResult>;
}

/** `r` + the plan id's 32 hex digits + `-` + leg index: at most 36 characters of [A-Za-z0-9_-]. */
export function childClientOrderId(planId: string, index: number): string {
  return `r${planId.replaceAll('-', '').toLowerCase()}-${index}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface ParsedRequest {
  readonly planId: string;
  readonly side: OrderSide;
  readonly quantity: Quantity;
  readonly limitPrice: Price | undefined;
  readonly record: RouteRequestRecord;
}

/** Everything that can be checked without I/O; InvalidArgumentError naming the field. */
function parseRequest(input: RouteOrderInput): ParsedRequest {
  const planId = input.planId ?? randomUUID();
  if (!UUID.test(planId)) throw new InvalidArgumentError('planId', 'must be a lower-case UUID');
  assertCurrencyCode(input.base, 'base');
  assertCurrencyCode(input.quote, 'quote');
  if (input.base === input.quote) throw new InvalidArgumentError('quote', 'must differ from base');
  const side = parseOrderSide(input.side, 'side');
  const quantity = Quantity.parse(input.quantity, 'quantity');
  if (!quantity.isPositive()) throw new InvalidArgumentError('quantity', 'must be greater than zero');
  const limitPrice = input.limitPrice === undefined ? undefined : Price.parse(input.limitPrice, 'limitPrice');
  if (limitPrice !== undefined && !limitPrice.isPositive()) {
    throw new InvalidArgumentError('limitPrice', 'must be greater than zero');
  }
  if (input.accounts.length > MAX_ACCOUNTS) {
    throw new InvalidArgumentError('accountIds', `at most ${MAX_ACCOUNTS} accounts`);
  }
  input.accounts.forEach((a, i) => {
    if (!isAccountId(a.id)) throw new InvalidArgumentError(`accountIds[${i}]`, 'must be a lower-case UUID');
  });
  return {
    planId,
    side,
    quantity,
    limitPrice,
    record: {
      base: input.base,
      quote: input.quote,
      side,
      quantity: quantity.toString(),
      ...(limitPrice === undefined ? {} : { limitPrice: limitPrice.toString() }),
      accountIds: input.explicitAccounts ? input.accounts.map((a) => a.id) : [],
    },
  };
}

export function router(options: RouterOptions): Router {
  const store = new RoutePlanStore(options.pool);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const fees = new Map(
    Object.entries(options.takerFees ?? DEFAULT_TAKER_FEES).map(([venue, rate]) => [
      venue,
      FixedDecimal.parse(rate, `takerFees.${venue}`),
    ]),
  );

  /** The venue's instrument for base/quote, or undefined when it lists none. */
  async function instrumentOn(venue: string, base: string, quote: string, correlationId?: string) {
    const wire = await options.cluster.request<VenueInstrumentsWire, VenueCommand>(
      `venue/${venue}`,
      (replyTo) => ({ type: 'venue-instruments', replyTo }),
      { timeoutMs, ...(correlationId === undefined ? {} : { correlationId }) },
    );
    return fromVenueInstrumentsWire(wire).instruments.find(
      (i) => i.baseAsset === base && i.quoteAsset === quote,
    );
  }

  /** The market on each account's venue; the explicit accounts must each list it and be on distinct venues. */
  async function marketsOf(input: RouteOrderInput, correlationId?: string) {
    if (input.accounts.length === 0) throw new FailedPreconditionError('you have no trading accounts');
    const found: { account: RouteAccount; instrument: Instrument }[] = [];
    const unavailable: { venue: string; reason: string }[] = [];
    const answers = await Promise.allSettled(
      input.accounts.map((a) =>
        instrumentOn(a.venue, input.base, input.quote, perRequest(correlationId, a.id)),
      ),
    );
    const venues = new Set<string>();
    answers.forEach((answer, i) => {
      const account = input.accounts[i];
      if (account === undefined) return;
      const field = `accountIds[${i}]`;
      if (answer.status === 'rejected') {
        const reason = answer.reason instanceof Error ? answer.reason.message : String(answer.reason);
        options.logger.warn({ venue: account.venue, reason }, 'route: venue did not list its instruments');
        unavailable.push({ venue: account.venue, reason: `instruments not available: ${reason}` });
        return;
      }
      if (answer.value === undefined) {
        if (input.explicitAccounts) {
          throw new InvalidArgumentError(
            field,
            `venue ${account.venue} does not list ${input.base}/${input.quote}`,
          );
        }
        return;
      }
      if (venues.has(account.venue)) {
        if (input.explicitAccounts) {
          throw new InvalidArgumentError(
            field,
            `a second account on venue ${account.venue}; give one per venue`,
          );
        }
        return;
      }
      venues.add(account.venue);
      found.push({ account, instrument: answer.value });
    });
    if (found.length === 0 && unavailable.length > 0) {
      // Nothing could be planned, and nothing is known to be wrong with the request: retry later.
      throw new UnavailableError(
        `no venue of your accounts answered: ${unavailable.map((u) => `${u.venue}: ${u.reason}`).join('; ')}`,
      );
    }
    if (found.length === 0) {
      throw new InvalidArgumentError(
        input.explicitAccounts ? 'accountIds' : 'base',
        `none of your accounts is on a venue listing ${input.base}/${input.quote}`,
      );
    }
    return { found, unavailable };
  }

  async function bookOf(instrument: Instrument, side: OrderSide, correlationId?: string) {
    const view = await options.cluster.request<BookView, BookCommand>(
      `book/${instrument.venue}/${instrument.symbol}`,
      (replyTo) => ({ type: 'get-book', depth: ROUTE_BOOK_DEPTH, replyTo }),
      { timeoutMs, ...(correlationId === undefined ? {} : { correlationId }) },
    );
    const levels: RouteLevel[] = (side === 'BUY' ? view.asks : view.bids).map(([price, quantity], i) => ({
      price: Price.parse(price, `book.${i}.price`),
      quantity: Quantity.parse(quantity, `book.${i}.quantity`),
    }));
    return { status: view.status, sequence: view.sequence, levels };
  }

  async function plan(input: RouteOrderInput, parsed: ParsedRequest, correlationId?: string) {
    const { found, unavailable } = await marketsOf(input, correlationId);
    const skipped = [...unavailable];
    const bookSequences: Record<string, number> = {};
    const venues: RouteVenueInput[] = [];
    const books = await Promise.allSettled(
      found.map((m) => bookOf(m.instrument, parsed.side, perRequest(correlationId, m.instrument.id))),
    );
    books.forEach((answer, i) => {
      const market = found[i];
      if (market === undefined) return;
      const venue = market.instrument.venue;
      const fee = fees.get(venue);
      if (fee === undefined) {
        skipped.push({ venue, reason: 'no taker fee rate configured for the venue' });
        return;
      }
      if (answer.status === 'rejected') {
        const reason = answer.reason instanceof Error ? answer.reason.message : String(answer.reason);
        options.logger.warn({ venue, reason }, 'route: book not read');
        skipped.push({ venue, reason: `book not read: ${reason}` });
        return;
      }
      if (answer.value.status !== 'synced') {
        skipped.push({ venue, reason: `book is ${answer.value.status}` });
        return;
      }
      bookSequences[venue] = answer.value.sequence;
      venues.push({
        accountId: market.account.id,
        instrument: market.instrument,
        takerFeeRate: fee,
        levels: answer.value.levels,
      });
    });
    if (venues.length === 0) {
      throw new UnavailableError(
        `no venue can be planned on now: ${skipped.map((u) => `${u.venue}: ${u.reason}`).join('; ')}`,
      );
    }
    const routePlan = planRoute(venues, {
      side: parsed.side,
      quantity: parsed.quantity,
      ...(parsed.limitPrice === undefined ? {} : { limitPrice: parsed.limitPrice }),
    });
    return { routePlan, skipped, bookSequences };
  }

  function legsOf(planId: string, routePlan: RoutePlan): RouteLegRecord[] {
    return routePlan.legs.map((leg, index) => ({
      index,
      accountId: leg.accountId,
      venue: leg.instrument.venue,
      instrumentId: leg.instrument.id,
      clientOrderId: childClientOrderId(planId, index),
      quantity: leg.quantity.toString(),
      limitPrice: leg.limitPrice.toString(),
      expectedNotional: leg.expectedNotional.toString(),
      expectedFee: leg.expectedFee.toString(),
    }));
  }

  async function placeLegs(record: RoutePlanRecord, correlationId?: string): Promise<RouteChild[]> {
    const answers = await Promise.allSettled(
      record.legs.map((leg) =>
        placeOrder(
          options.cluster,
          leg.accountId,
          {
            clientOrderId: leg.clientOrderId,
            instrumentId: leg.instrumentId,
            side: record.request.side,
            type: 'LIMIT',
            timeInForce: 'IOC',
            quantity: leg.quantity,
            price: leg.limitPrice,
          },
          correlationId === undefined ? {} : { correlationId: `${correlationId}:${leg.clientOrderId}` },
        ),
      ),
    );
    return record.legs.map((leg, i): RouteChild => {
      const answer = answers[i];
      if (answer === undefined) throw new InternalError(`route ${record.id}: no answer for leg ${i}`);
      if (answer.status === 'fulfilled') return { leg, order: answer.value };
      const error: unknown = answer.reason;
      options.logger.warn({ err: error, planId: record.id, leg: leg.index }, 'route: child order not placed');
      return {
        leg,
        error: {
          code: isNinjaError(error) ? error.code : 'INTERNAL',
          message: error instanceof Error ? error.message : String(error),
        },
      };
    });
  }

  return {
    async route(input, call = {}) {
      const parsed = parseRequest(input);
      const { correlationId } = call;
      const existing = await store.find(input.userId, parsed.planId);
      if (existing !== undefined) {
        return { plan: existing, created: false, children: await placeLegs(existing, correlationId) };
      }
      const { routePlan, skipped, bookSequences } = await plan(input, parsed, correlationId);
      const { plan: recorded, created } = await store.record({
        id: parsed.planId,
        userId: input.userId,
        request: parsed.record,
        legs: legsOf(parsed.planId, routePlan),
        summary: {
          planned: routePlan.planned.toString(),
          unfilled: routePlan.unfilled.toString(),
          ...(routePlan.unfilledReason === undefined ? {} : { unfilledReason: routePlan.unfilledReason }),
          ...(routePlan.expectedAveragePrice === undefined
            ? {}
            : { expectedAveragePrice: routePlan.expectedAveragePrice.toString() }),
          expectedNotional: routePlan.expectedNotional.toString(),
          expectedFees: routePlan.expectedFees.toString(),
          skipped: [...skipped, ...routePlan.skipped],
          bookSequences,
        },
      });
      options.logger.info(
        { planId: recorded.id, legs: recorded.legs.length, planned: recorded.summary.planned, created },
        'route plan recorded',
      );
      return { plan: recorded, created, children: await placeLegs(recorded, correlationId) };
    },
  };
}

/**
 * The correlation id of one of several parallel requests of a call: the call's, suffixed, so each is
 * unique (the cluster transport refuses a request whose correlation id is still pending: parallel
 * requests to one node sharing the call's id all failed but the first) and still traceable to it.
 */
function perRequest(correlationId: string | undefined, part: string): string | undefined {
  return correlationId === undefined ? undefined : `${correlationId}:${part}`;
}
