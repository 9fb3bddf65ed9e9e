// The trading side of a node: `orders/<accountId>`, `risk/<accountId>` (and `risk/cluster`, whose
// kill switch stops new orders everywhere) and `portfolio/<accountId>`, wired to each other and to
// the venue and book actors over the cluster (docs/trading.md). Registered on every node; only
// nodes with the trading role host them. `placeOrder` and friends are what strategies and the
// gateway call to trade for an account, wherever its order manager lives.
import type pg from 'pg';
import type { ClusterNode } from '../cluster/index.ts';
import { ActorKind, NodeRole, defaultKindRegistry } from '../cluster/index.ts';
import { UnavailableError, parseAccountId } from '../domain/index.ts';
import type { AccountId, InstrumentId, Order } from '../domain/index.ts';
import type { Price } from '../domain/values/index.ts';
import type { Logger, MetricsRegistry } from '../observability/index.ts';
import { OrdersRequest, orderManagerKind } from '../actors/orders/index.ts';
import type { OrderManagerKind, PlaceOrderRequest, ReconcileReport } from '../actors/orders/index.ts';
import { clusterVenueAccess } from '../actors/orders/cluster-venue-access.ts';
import type { ClusterVenueAccess } from '../actors/orders/cluster-venue-access.ts';
import { ordersMessageCodec } from '../actors/orders/orders-message-codec.ts';
import { pgOrderHistoryStore } from '../actors/orders/order-history-store.ts';
import { pgRecentOrderFills } from '../actors/orders/journaled-order-fills.ts';
import {
  journaledFillLookup,
  portfolioKind,
  portfolioMessageCodec,
  toPortfolioFillWire,
} from '../actors/portfolio/index.ts';
import type { PortfolioCommand, PortfolioFillWire, PortfolioView } from '../actors/portfolio/index.ts';
import { CLUSTER_RISK_KEY, RiskRequest, riskLimitsKind, riskMessageCodec } from '../actors/risk/index.ts';
import { clusterRiskInputs } from '../actors/risk/cluster-risk-inputs.ts';
import type { ClusterRiskInputs } from '../actors/risk/cluster-risk-inputs.ts';
import type { RiskLimits } from '../domain/index.ts';
import {
  ORDER_FEED_KIND,
  orderFeedIdentity,
  orderFeedKind,
  orderFeedMessageCodec,
} from '../actors/order-feed/index.ts';
import type { OrderFeedCommand } from '../actors/order-feed/index.ts';
import { orderFeedFollower } from '../gateway/streams/order-feed-follower.ts';
import { orderFillsOf } from '../gateway/streams/order-updates.ts';
import { startOrderManagerActivation } from './order-manager-activation.ts';
import type { OrderManagerActivation } from './order-manager-activation.ts';

/** Venues orders may go to unless a node says otherwise (the built-in paper venue and the simulated ones). */
export const DEFAULT_TRADING_VENUES: readonly string[] = ['paper', 'binanceus', 'coinbase', 'oanda'];

export interface TradingOptions {
  readonly logger: Logger;
  readonly metrics: MetricsRegistry;
  /** Default DEFAULT_TRADING_VENUES. */
  readonly venues?: readonly string[];
  /** Background reconciliation period of each order manager (default 30,000 ms; 0 turns it off). */
  readonly reconcileEveryMs?: number;
  /**
   * The node's database. With it, finished orders beyond the in-memory window go to the order
   * history (permanent client order id idempotency) and `activateOrderManagers` can list the order
   * managers to activate. Without it (a member that hosts no trading kinds) neither happens.
   */
  readonly pool?: pg.Pool;
}

/** What `registerTrading` wired: the caches its order managers read, and how to stop them. */
export interface Trading {
  readonly venues: ClusterVenueAccess;
  readonly inputs: ClusterRiskInputs;
  readonly orders: OrderManagerKind;
  /**
   * Once the node has started: activates the order managers this node owns (now and after
   * membership changes), so their open orders are reconciled without waiting for a message.
   */
  activateOrderManagers(): OrderManagerActivation | undefined;
  /** Stops activating order managers (before the node drains). */
  stopActivation(): void;
  close(): void;
}

/**
 * Registers `orders`, `risk`, `portfolio` and `order-feed` on `node` (before it starts). Fills
 * reach `portfolio/<accountId>` once journaled (the portfolio dedupes by trade id, so a replay
 * after a crash books nothing twice), this node's StreamOrderUpdates calls and, on a clustered
 * node, `order-feed/<accountId>` for those of other members (docs/gateway.md); an order manager
 * that activates loads its account's pre-trade inputs and reconciles with its venues at once.
 */
export function registerTrading(node: ClusterNode, options: TradingOptions): Trading {
  const kinds = defaultKindRegistry();
  const venues = clusterVenueAccess({
    cluster: node,
    venues: options.venues ?? DEFAULT_TRADING_VENUES,
    logger: options.logger,
    metrics: options.metrics,
  });
  const inputs = clusterRiskInputs({ cluster: node, logger: options.logger, metrics: options.metrics });
  const feeds = orderFeedKind({
    isMember: (nodeId) => node.membership.members().some((member) => member.nodeId === nodeId),
    send: (identity, message) => node.send<OrderFeedCommand>(identity, message),
    metrics: options.metrics,
  });
  const fills = orderFillsOf(node);
  // A one-node cluster (static membership, no transport) has its order managers and its streams
  // on the same node: the fast path alone serves it, without a feed.
  const clustered = node.transport !== undefined;
  if (clustered)
    fills.followWith(orderFeedFollower({ cluster: node, logger: options.logger, metrics: options.metrics }));
  const publishToFeed = (accountId: AccountId, fill: PortfolioFillWire): void => {
    // Only when some member serves clients: a trading cluster without a gateway streams nothing.
    if (!clustered || !node.membership.members().some((m) => m.roles.includes(NodeRole.gateway))) return;
    try {
      node.send<OrderFeedCommand>(orderFeedIdentity(accountId), { type: 'feed-fill', fill });
    } catch (error) {
      options.logger.warn(
        { err: error, accountId, tradeId: fill.tradeId },
        'fill not sent to the order feed: streams on other members do not get it pushed',
      );
    }
  };
  const orders = orderManagerKind({
    venues,
    risk: inputs,
    metrics: options.metrics,
    ...(options.reconcileEveryMs === undefined ? {} : { reconcileEveryMs: options.reconcileEveryMs }),
    ...(options.pool === undefined
      ? {}
      : { history: pgOrderHistoryStore(options.pool), recentFills: pgRecentOrderFills(options.pool) }),
    onActivate: (accountId) => {
      inputs.prepare(accountId).catch((error: unknown) => {
        options.logger.warn({ err: error, accountId }, 'pre-trade inputs not loaded at activation');
      });
    },
    onFill: (accountId, fill) => {
      const wire = toPortfolioFillWire(fill);
      node.send<PortfolioCommand>(`portfolio/${accountId}`, { type: 'book-fill', fill: wire });
      inputs.touch(accountId);
      // StreamOrderUpdates on this node streams the account's fills from here (the fast path);
      // streams on other members get them through the account's order feed.
      fills.publish(accountId, fill);
      publishToFeed(accountId, wire);
    },
  });
  node.register({
    kind: kinds.require(ActorKind.orders),
    actor: orders.definition,
    codec: ordersMessageCodec(),
  });
  node.register({
    kind: kinds.require(ActorKind.risk),
    actor: riskLimitsKind((key) => {
      if (key !== CLUSTER_RISK_KEY) inputs.touch(parseAccountId(key, 'risk key'));
    }),
    codec: riskMessageCodec(),
  });
  node.register({
    kind: kinds.require(ActorKind.portfolio),
    actor: portfolioKind({
      mid: portfolioMid(inputs),
      metrics: options.metrics,
      ...(options.pool === undefined ? {} : { journaledFill: journaledFillLookup(options.pool) }),
    }),
    codec: portfolioMessageCodec(),
  });
  node.register({ kind: ORDER_FEED_KIND, actor: feeds.definition, codec: orderFeedMessageCodec() });
  // A (re-)activated order manager reconciles at once rather than on its first message.
  node.onActivation((activation, passivated) => {
    if (passivated !== undefined && activation.identity.kind === ORDER_FEED_KIND.name) {
      feeds.release(activation.identity.text);
      return;
    }
    if (passivated !== undefined || activation.identity.kind !== ActorKind.orders) return;
    try {
      node.send(activation.identity.text, { type: 'reconcile', trigger: 'recovery' });
    } catch (error) {
      options.logger.warn(
        { err: error, identity: activation.identity.text },
        'recovery reconciliation not started',
      );
    }
  });
  let activation: OrderManagerActivation | undefined;
  const stopActivation = () => {
    activation?.stop();
  };
  return {
    venues,
    inputs,
    orders,
    activateOrderManagers: () => {
      const pool = options.pool;
      // Only the identities this node owns are activated (none on a node without the trading role).
      if (pool === undefined) return undefined;
      activation ??= startOrderManagerActivation({ node, pool, logger: options.logger });
      return activation;
    },
    stopActivation,
    close: () => {
      stopActivation();
      fills.stopFollowing();
      venues.close();
      inputs.close();
      orders.dispose();
    },
  };
}

export interface TradeCallOptions {
  /** Default 15,000 ms. */
  readonly timeoutMs?: number;
  readonly correlationId?: string;
  /** Retries of a retryable UNAVAILABLE (inputs still loading, owner moving); default 10, 200 ms apart. */
  readonly retries?: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function withRetries<T>(options: TradeCallOptions, run: () => Promise<T>): Promise<T> {
  const retries = options.retries ?? 10;
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof UnavailableError) || attempt >= retries) throw error;
      await pause(200);
    }
  }
}

const call = (options: TradeCallOptions) => ({
  timeoutMs: options.timeoutMs ?? 15_000,
  ...(options.correlationId === undefined ? {} : { correlationId: options.correlationId }),
});

/**
 * Places an order for `accountId` through its order manager, wherever it lives. Idempotent by
 * `request.clientOrderId` (a repeat returns the same order), so a retry after UNAVAILABLE is safe.
 * Resolves with the order once the venue has answered the placement; rejects with the domain error
 * (INVALID_ARGUMENT naming the field, RISK_REJECTED with its reason, UNAVAILABLE...).
 */
export function placeOrder(
  cluster: ClusterNode,
  accountId: AccountId | string,
  request: PlaceOrderRequest,
  options: TradeCallOptions = {},
): Promise<Order> {
  const id = parseAccountId(accountId, 'accountId');
  return withRetries(options, () =>
    cluster.request(`orders/${id}`, OrdersRequest.place(request), call(options)),
  );
}

/** Cancels one of the account's orders by client order id; resolves with the order as it stands. */
export function cancelOrder(
  cluster: ClusterNode,
  accountId: AccountId | string,
  clientOrderId: string,
  options: TradeCallOptions = {},
): Promise<Order> {
  const id = parseAccountId(accountId, 'accountId');
  return withRetries(options, () =>
    cluster.request(`orders/${id}`, OrdersRequest.cancel(clientOrderId), call(options)),
  );
}

/** Cancels the account's open orders (on one instrument when given); resolves with how many were asked. */
export function cancelAllOrders(
  cluster: ClusterNode,
  accountId: AccountId | string,
  instrumentId?: InstrumentId,
  options: TradeCallOptions = {},
): Promise<number> {
  const id = parseAccountId(accountId, 'accountId');
  return withRetries(options, () =>
    cluster.request(`orders/${id}`, OrdersRequest.cancelAll(instrumentId), call(options)),
  );
}

export function getOrder(
  cluster: ClusterNode,
  accountId: AccountId | string,
  clientOrderId: string,
  options: TradeCallOptions = {},
): Promise<Order | undefined> {
  const id = parseAccountId(accountId, 'accountId');
  return withRetries(options, () =>
    cluster.request(`orders/${id}`, OrdersRequest.get(clientOrderId), call(options)),
  );
}

export function listOrders(
  cluster: ClusterNode,
  accountId: AccountId | string,
  options: TradeCallOptions = {},
): Promise<readonly Order[]> {
  const id = parseAccountId(accountId, 'accountId');
  return withRetries(options, () => cluster.request(`orders/${id}`, OrdersRequest.list(), call(options)));
}

export function reconcileOrders(
  cluster: ClusterNode,
  accountId: AccountId | string,
  options: TradeCallOptions = {},
): Promise<ReconcileReport> {
  const id = parseAccountId(accountId, 'accountId');
  return withRetries(options, () =>
    cluster.request(`orders/${id}`, OrdersRequest.reconcile(), call(options)),
  );
}

/** The account's balances, positions and PnL (marked to the current mids) as JSON. */
export function portfolioOf(
  cluster: ClusterNode,
  accountId: AccountId | string,
  options: TradeCallOptions = {},
): Promise<PortfolioView> {
  const id = parseAccountId(accountId, 'accountId');
  return withRetries(options, () =>
    cluster.request<PortfolioView, PortfolioCommand>(
      `portfolio/${id}`,
      (replyTo) => ({ type: 'view', replyTo }),
      call(options),
    ),
  );
}

/**
 * The mid a portfolio marks a position to: undefined (the position is listed as unmarked) while this
 * node has not read the instrument's book yet; asking starts the polling. The risk inputs answer that
 * case with UNAVAILABLE, right for an order (it must wait for a price band) but not for a valuation:
 * thrown from the portfolio's `view`, it crashed the actor, and five views within 30 s of a start
 * escalated it to the node.
 */
function portfolioMid(inputs: ClusterRiskInputs): (instrumentId: InstrumentId) => Price | undefined {
  return (instrumentId) => {
    try {
      return inputs.mid(instrumentId);
    } catch (error) {
      if (error instanceof UnavailableError) return undefined;
      throw error;
    }
  };
}

/** Changes an account's limits (`risk/<accountId>`) or, with key `cluster`, the cluster-wide ones. */
export function updateRiskLimits(
  cluster: ClusterNode,
  key: AccountId | typeof CLUSTER_RISK_KEY,
  update: unknown,
  options: TradeCallOptions = {},
): Promise<RiskLimits> {
  return withRetries(options, () =>
    cluster.request(`risk/${key}`, RiskRequest.update(update), call(options)),
  );
}

export function riskLimitsOf(
  cluster: ClusterNode,
  key: AccountId | typeof CLUSTER_RISK_KEY,
  options: TradeCallOptions = {},
): Promise<RiskLimits> {
  return withRetries(options, () => cluster.request(`risk/${key}`, RiskRequest.get(), call(options)));
}
