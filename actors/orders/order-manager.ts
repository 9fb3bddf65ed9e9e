import { InvalidArgumentError, isNinjaError } from '../../domain/index.ts';
import type { ClientOrderId, Order } from '../../domain/index.ts';
import { definePersistentActor, jsonCodec } from '../kernel/index.ts';
import type { ActorDefinition, Persisted, ReplyTo } from '../kernel/index.ts';
import { ManagerContext } from './manager-context.ts';
import type { Ctx, Effect } from './manager-context.ts';
import { cancel, cancelAll, cancelReplace, place, releaseReplacements } from './order-commands.ts';
import { orderManagerMetrics } from './order-manager-metrics.ts';
import type { OrdersCommand } from './order-manager-messages.ts';
import { OrderHistory, historyReplyTo } from './order-history.ts';
import type { OrderManagerOptions } from './order-manager-options.ts';
import {
  ackTimeout,
  cancelAnswered,
  observed,
  placed,
  reconcileObserved,
  venueEvent,
} from './order-updates.ts';
import {
  DEFAULT_RETAIN_FINISHED_ORDERS,
  applyOrdersEvent,
  decodeOrdersSnapshot,
  emptyOrdersState,
  encodeOrdersSnapshot,
} from './orders-state.ts';
import type { OrdersEvent, OrdersSnapshot, OrdersState } from './orders-state.ts';
import { gatherReconciliation, replayRecentFills } from './venue-calls.ts';
import { fromExecutionEventWire } from '../venue/venue-wire.ts';
import { ownEvent } from './venue-client-ids.ts';

/** The `orders` kind for one node, and how to stop its background work. */
export interface OrderManagerKind {
  readonly definition: ActorDefinition<Persisted<OrdersState>, OrdersCommand>;
  /** Stops venue subscriptions and reconciliation timers of every activation (node shutdown, tests). */
  dispose(): void;
}

interface Activation {
  readonly unsubscribes: (() => void)[];
  timer: ReturnType<typeof setInterval> | undefined;
}

function stopActivation(activation: Activation | undefined): void {
  if (activation === undefined) return;
  for (const unsubscribe of activation.unsubscribes) unsubscribe();
  if (activation.timer !== undefined) clearInterval(activation.timer);
}

/** The reply address of a command that has one (for answering a failure). */
function replyToOf(command: OrdersCommand): ReplyTo<never> | undefined {
  if (command.type === 'history') return historyReplyTo(command.step);
  return 'replyTo' in command ? command.replyTo : undefined;
}

/**
 * `orders/<accountId>`: the event-sourced order manager. Places, cancels and replaces orders with
 * idempotent client order ids, journals each order's intent before it is sent, applies venue
 * events through the domain state machine and reconciles with the venues after recovery, after a
 * stream reconnect and periodically. See docs/trading.md.
 */
export function orderManagerKind(options: OrderManagerOptions): OrderManagerKind {
  const m = new ManagerContext(options, orderManagerMetrics(options.metrics));
  const retainFinished = options.retainFinishedOrders ?? DEFAULT_RETAIN_FINISHED_ORDERS;
  if (!Number.isInteger(retainFinished) || retainFinished < 0) {
    throw new InvalidArgumentError('retainFinishedOrders', `must be an integer >= 0, got ${retainFinished}`);
  }
  const activations = new Map<string, Activation>();
  const history = new OrderHistory(m, options.history, retainFinished, options.metrics);

  /** The first message of an activation subscribes to venue streams and starts reconciling. */
  function start(state: OrdersState, ctx: Ctx, command: OrdersCommand): void {
    if (state.runtime.started) return;
    state.runtime.started = true;
    stopActivation(activations.get(ctx.identity));
    const activation: Activation = { unsubscribes: [], timer: undefined };
    activations.set(ctx.identity, activation);
    const accountId = m.accountId(ctx);
    const ids = m.ids(accountId);
    ids.remember(state.orders.keys());
    const archived = history.start(ctx);
    state.runtime.onEvicted = (clientOrderId) => {
      ids.forget(clientOrderId);
      archived(clientOrderId);
    };
    options.onActivate?.(accountId);
    replayRecentFills(m, state, ctx);
    for (const venue of options.venues.venues()) {
      const endpoint = m.venue(accountId, venue);
      if (endpoint === undefined) continue;
      activation.unsubscribes.push(
        endpoint.onExecution((event) => m.tell(ctx, { type: 'venue-event', venue, event }), ctx.identity),
      );
    }
    if (m.reconcileEveryMs > 0) {
      activation.timer = setInterval(
        () => m.tell(ctx, { type: 'reconcile', trigger: 'periodic' }),
        m.reconcileEveryMs,
      );
      activation.timer.unref();
    }
    if (command.type !== 'reconcile') m.tell(ctx, { type: 'reconcile', trigger: 'recovery' });
  }

  function handle(state: OrdersState, command: OrdersCommand, ctx: Ctx, historyChecked = false): Effect {
    // A client order id the state does not hold but the order history may: read it first.
    if (!historyChecked && history.defers(state, command, ctx)) return {};
    switch (command.type) {
      case 'place':
        return place(m, state, ctx, command.request, command.replyTo);
      case 'cancel':
        return cancel(m, state, ctx, command.clientOrderId, command.replyTo);
      case 'cancel-replace':
        return cancelReplace(m, state, ctx, command.clientOrderId, command.replacement, command.replyTo);
      case 'cancel-all':
        return cancelAll(m, state, ctx, command.instrumentId, command.replyTo);
      // Reads answer once every event decided before them is durable (and its fills published).
      case 'get':
        return {
          reply: (current) => {
            // Keys are validated client order ids; a text that is not one finds nothing, as intended.
            const tracked = current.orders.get(command.clientOrderId as ClientOrderId);
            ctx.reply(command.replyTo, tracked?.order);
          },
        };
      case 'list':
        return {
          reply: (current) => {
            const orders: Order[] = [...current.orders.values()].map((t) => t.order);
            ctx.reply(command.replyTo, orders);
          },
        };
      case 'reconcile':
        if (state.runtime.reconciling) {
          if (command.replyTo !== undefined) {
            ctx.reply(command.replyTo, {
              trigger: command.trigger,
              ordersChecked: 0,
              repairs: {},
              anomalies: ['a reconciliation pass is already running'],
            });
          }
          return {};
        }
        gatherReconciliation(m, state, ctx, command.trigger, command.replyTo);
        return {};
      case 'venue-event':
        return venueEvent(m, state, ctx, command.event);
      case 'venue-execution': {
        const event = ownEvent(m.ids(m.accountId(ctx)), fromExecutionEventWire(command.event));
        if (event === undefined) {
          m.metrics.venueEvents.inc({ kind: `execution:${command.event.kind}`, outcome: 'other-account' });
          return {};
        }
        return venueEvent(m, state, ctx, event);
      }
      case 'placed':
        return placed(m, state, ctx, command.clientOrderId, command.result);
      case 'place-failed':
        return {};
      case 'cancel-answered':
        return cancelAnswered(m, state, ctx, command.clientOrderId, command.snapshot);
      case 'ack-timeout':
        return ackTimeout(m, state, ctx, command.clientOrderId);
      case 'observed':
        return observed(m, state, ctx, command.observation);
      case 'reconcile-observed':
        return reconcileObserved(
          m,
          state,
          ctx,
          command.trigger,
          command.observations,
          command.failures,
          command.replyTo,
        );
      case 'release-replacements':
        return releaseReplacements(m, state, ctx);
      case 'history':
        return history.handle(state, command.step, ctx, (checked) => handle(state, checked, ctx, true));
    }
  }

  const definition = definePersistentActor<OrdersState, OrdersCommand, OrdersEvent>({
    kind: 'orders',
    initialState: () => emptyOrdersState(retainFinished, history.enabled),
    receive: (state, command, ctx) => {
      start(state, ctx, command);
      history.maybeArchive(state, ctx);
      try {
        return handle(state, command, ctx);
      } catch (error) {
        const replyTo = replyToOf(command);
        // A refused command (bad input, risk, unknown order) is answered and changes nothing.
        if (isNinjaError(error) && replyTo !== undefined) {
          m.metrics.commands.inc({ command: command.type, outcome: error.code.toLowerCase() });
          ctx.fail(replyTo, error);
          return {};
        }
        throw error;
      }
    },
    applyEvent: applyOrdersEvent,
    eventType: (event) => (event.type === 'event' ? event.event.kind : event.type),
    events: jsonCodec<OrdersEvent>(),
    snapshots: {
      encode: (state) => jsonCodec<OrdersSnapshot>().encode(encodeOrdersSnapshot(state)),
      decode: (bytes) =>
        decodeOrdersSnapshot(jsonCodec<OrdersSnapshot>().decode(bytes), retainFinished, history.enabled),
    },
    snapshotEvery: options.snapshotEvery ?? 1_000,
    // Commands are decided while earlier events are being written; replies wait for durability.
    ...(options.pipelinedJournal === false ? {} : { pipeline: { replyToOf } }),
  });
  return {
    definition,
    dispose: () => {
      for (const activation of activations.values()) stopActivation(activation);
      activations.clear();
      history.dispose();
    },
  };
}
