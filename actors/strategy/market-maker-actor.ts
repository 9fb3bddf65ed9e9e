import { isNinjaError, isTerminalOrderStatus, newClientOrderId, OrderSide } from '../../domain/index.ts';
import type { Order } from '../../domain/index.ts';
import { FixedDecimal, Price, Quantity } from '../../domain/values/index.ts';
import type { Logger } from '../../observability/index.ts';
import { defineActor } from '../kernel/index.ts';
import type { ActorContext, ActorDefinition, ReplyTo } from '../kernel/index.ts';
import type { PlaceOrderRequest } from '../orders/index.ts';
import { parseMarketMakerConfig } from './market-maker-config.ts';
import type { MarketMakerConfig, MarketMakerConfigWire } from './market-maker-config.ts';
import { computeQuotes, midMoved } from './market-maker-quotes.ts';
import type { Quote } from './market-maker-quotes.ts';
import type { StrategyCommand, StrategyStopped } from './strategy-messages.ts';
import type { StrategyMetrics } from './strategy-metrics.ts';
import { STRATEGY_RESTARTS } from './strategy-health.ts';
import type { StrategyHealth } from './strategy-health.ts';
import type { StrategyPorts } from './strategy-orders.ts';
import { RollingCount } from './rolling-count.ts';
import { supervisedTick } from './supervised-tick.ts';

export const STRATEGY_KIND = 'strategy';
/** How long `strategy-stop` waits for the venue to confirm the cancels of the quotes, and how often it asks. */
const STOP_WAIT_MS = 3_000;
const STOP_POLL_MS = 50;

interface LiveQuote {
  readonly clientOrderId: string;
  readonly price: Price;
  readonly quantity: Quantity;
  /** Filled quantity already counted into the position. */
  counted: Quantity;
}

interface MarketMakerState {
  readonly identity: string;
  readonly logger: Logger;
  /** Open quotes were cancelled and the slate is clean (first tick of an activation). */
  cleaned: boolean;
  /** `strategy-stop` was handled: later ticks of this activation do nothing. */
  stopped: boolean;
  /** Signed inventory from the fills of this activation's own quotes. */
  position: FixedDecimal;
  bid: LiveQuote | undefined;
  ask: LiveQuote | undefined;
  quotedMid: Price | undefined;
  readonly placements: RollingCount;
}

export interface MarketMakerDeps {
  readonly ports: StrategyPorts;
  readonly health: StrategyHealth;
  readonly metrics: StrategyMetrics;
  /** Epoch milliseconds. Default Date.now. */
  readonly clock?: () => number;
}

type Side = 'bid' | 'ask';

/**
 * `strategy/<id>`, the demo market maker. Each tick (sent by the node's strategy driver, carrying
 * the config) it reads the top of `book/<venue>/<symbol>`, counts new fills of its quotes into its
 * inventory, and keeps one bid and one ask around the mid skewed against that inventory:
 * placing a missing side, cancel-replacing a side once the mid moved past the threshold, and
 * cancelling a side the position limit forbids. Every order goes through `orders/<accountId>`.
 * A refused order (risk, venue) is counted and logged; anything else crashes the actor, and
 * kernel supervision restarts it (fresh state: it cancels its instrument's open orders first) until
 * too many crashes stop it as FAILED. `strategy-stop` (the node stopping its strategies) cancels
 * the instrument's open orders and ends quoting for the activation.
 */
export function marketMakerActor(deps: MarketMakerDeps): ActorDefinition<MarketMakerState, StrategyCommand> {
  const clock = deps.clock ?? Date.now;
  const { ports, metrics, health } = deps;

  async function refresh(state: MarketMakerState, config: MarketMakerConfig, side: Side): Promise<void> {
    const live = state[side];
    if (live === undefined) return;
    const order = await ports.get(config.accountId, live.clientOrderId);
    if (order === undefined) {
      state[side] = undefined;
      return;
    }
    count(state, live, order);
    if (isTerminalOrderStatus(order.status)) state[side] = undefined;
  }

  function count(state: MarketMakerState, live: LiveQuote, order: Order): void {
    if (!order.filledQuantity.gt(live.counted)) return;
    const delta = FixedDecimal.from(order.filledQuantity.sub(live.counted));
    state.position = order.side === OrderSide.BUY ? state.position.add(delta) : state.position.sub(delta);
    live.counted = order.filledQuantity;
    metrics.fills.inc({ strategy: state.identity });
  }

  function request(config: MarketMakerConfig, quote: Quote): PlaceOrderRequest {
    return {
      clientOrderId: newClientOrderId(),
      instrumentId: config.instrumentId,
      side: quote.side,
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: quote.quantity.toString(),
      price: quote.price.toString(),
    };
  }

  /** Places, replaces or cancels one side; a refusal is counted, not thrown. */
  async function work(
    state: MarketMakerState,
    config: MarketMakerConfig,
    side: Side,
    want: Quote | undefined,
    moved: boolean,
  ): Promise<void> {
    const live = state[side];
    const action =
      want === undefined
        ? live === undefined
          ? undefined
          : 'cancel'
        : live === undefined
          ? 'place'
          : moved
            ? 'replace'
            : undefined;
    if (action === undefined) return;
    if (action !== 'cancel' && !state.placements.tryTake(clock())) {
      metrics.actions.inc({ strategy: state.identity, action, outcome: 'rate-limited' });
      return;
    }
    try {
      if (action === 'cancel' && live !== undefined) {
        count(state, live, await ports.cancel(config.accountId, live.clientOrderId));
        state[side] = undefined;
      } else if (want !== undefined) {
        const body = request(config, want);
        const order =
          action === 'replace' && live !== undefined
            ? await ports.cancelReplace(config.accountId, live.clientOrderId, body)
            : await ports.place(config.accountId, body);
        state[side] = isTerminalOrderStatus(order.status)
          ? undefined
          : {
              clientOrderId: order.clientOrderId,
              price: want.price,
              quantity: want.quantity,
              counted: Quantity.zero(),
            };
        if (order.status === 'REJECTED') {
          metrics.actions.inc({ strategy: state.identity, action, outcome: 'rejected' });
          state.logger.warn({ reason: order.rejectReason, side }, 'quote rejected by the venue');
          return;
        }
      }
      metrics.actions.inc({ strategy: state.identity, action, outcome: 'ok' });
    } catch (error) {
      if (!isNinjaError(error)) throw error;
      // A refused order (risk limit, bad state, venue unavailable) is a normal outcome for a strategy.
      metrics.actions.inc({ strategy: state.identity, action, outcome: error.code.toLowerCase() });
      state.logger.warn({ err: error, side, action }, 'quote refused');
      if (action === 'replace') state[side] = undefined;
    }
  }

  async function tick(state: MarketMakerState, config: MarketMakerConfig): Promise<void> {
    if (!state.cleaned) {
      const cancelled = await ports.cancelAll(config.accountId, config.instrumentId);
      state.logger.info(
        { cancelled, instrumentId: config.instrumentId },
        'market maker started; old quotes cancelled',
      );
      state.cleaned = true;
    }
    await refresh(state, config, 'bid');
    await refresh(state, config, 'ask');
    const top = await ports.top(config.book);
    if (top.status !== 'synced' || top.bid === undefined || top.ask === undefined) {
      health.report(state.identity, `waiting for ${config.book} (${top.status})`);
      return;
    }
    const bid = Price.parse(top.bid[0], 'top.bid');
    const ask = Price.parse(top.ask[0], 'top.ask');
    if (!bid.lt(ask)) return;
    const quotes = computeQuotes({ bid, ask }, state.position, config.quote);
    const moved =
      state.quotedMid === undefined || midMoved(state.quotedMid, quotes.mid, config.requoteThresholdBps);
    await work(state, config, 'bid', quotes.bid, moved);
    await work(state, config, 'ask', quotes.ask, moved);
    if (moved) state.quotedMid = quotes.mid;
    health.report(
      state.identity,
      `pos ${state.position.toString()}  bid ${state.bid?.price.toString() ?? '—'}  ask ${state.ask?.price.toString() ?? '—'}`,
    );
  }

  /** Asks for `clientOrderIds` until each is finished or `deadline` passes; returns those still open. */
  async function untilFinished(
    accountId: string,
    clientOrderIds: readonly string[],
    deadline: number,
  ): Promise<string[]> {
    let open = [...clientOrderIds];
    while (open.length > 0 && clock() < deadline) {
      const orders = await Promise.all(open.map((id) => ports.get(accountId, id)));
      open = open.filter((_, i) => {
        const order = orders[i];
        return order !== undefined && !isTerminalOrderStatus(order.status);
      });
      if (open.length > 0) await new Promise((resolve) => setTimeout(resolve, STOP_POLL_MS));
    }
    return open;
  }

  /**
   * Cancels the instrument's open orders and stops quoting; answers once the venue has confirmed
   * the cancels of its own quotes (or `STOP_WAIT_MS` passed: then it says which are still open).
   */
  async function stop(
    state: MarketMakerState,
    wire: MarketMakerConfigWire,
    replyTo: ReplyTo<StrategyStopped>,
    ctx: ActorContext<StrategyCommand>,
  ): Promise<MarketMakerState> {
    state.stopped = true;
    try {
      const config = parseMarketMakerConfig(wire);
      const quotes = [state.bid, state.ask].flatMap((q) => (q === undefined ? [] : [q.clientOrderId]));
      const cancelled = await ports.cancelAll(config.accountId, config.instrumentId);
      const open = await untilFinished(config.accountId, quotes, clock() + STOP_WAIT_MS);
      state.bid = undefined;
      state.ask = undefined;
      health.report(state.identity, `stopped (${cancelled} quotes cancelled)`);
      if (open.length > 0) {
        state.logger.warn(
          { cancelled, stillOpen: open, instrumentId: config.instrumentId },
          'market maker stopped; the venue has not confirmed the cancel of these quotes yet',
        );
      } else {
        state.logger.info(
          { cancelled, instrumentId: config.instrumentId },
          'market maker stopped; its quotes cancelled',
        );
      }
      ctx.reply(replyTo, { cancelled, stillOpen: open });
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      state.logger.warn({ err: failure }, 'market maker stopped, but its quotes could not be cancelled');
      ctx.fail(replyTo, failure);
    }
    return state;
  }

  return defineActor<MarketMakerState, StrategyCommand>({
    kind: STRATEGY_KIND,
    // Three crashes within a minute and it stops: supervision escalates, the node marks it FAILED.
    supervision: { intensity: STRATEGY_RESTARTS, backoff: { initialMs: 500, maxMs: 5_000 } },
    initialState: (_key, ctx) => ({
      identity: ctx.identity,
      logger: ctx.logger,
      cleaned: false,
      stopped: false,
      position: FixedDecimal.zero(),
      bid: undefined,
      ask: undefined,
      quotedMid: undefined,
      placements: new RollingCount(60_000, 1),
    }),
    receive: (state, message, ctx) => {
      if (message.type === 'strategy-stop') return stop(state, message.config, message.replyTo, ctx);
      if (state.stopped) return state;
      return supervisedTick(
        state,
        health,
        (code) => metrics.waits.inc({ strategy: state.identity, code }),
        async () => {
          const config = parseMarketMakerConfig(message.config);
          state.placements.setLimit(config.maxOrdersPerMinute);
          await tick(state, config);
        },
      );
    },
  });
}
