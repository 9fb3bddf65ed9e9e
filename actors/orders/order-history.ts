// Permanent idempotency of client order ids (docs/trading.md, "Order history"): finished orders
// beyond the retained window are archived in the order history table, then leave memory through a
// journaled `evicted` event; a compact filter of archived ids, rebuilt on activation, tells which
// unknown ids are probable repeats, and only those read the table.
import { UnavailableError, isClientOrderId } from '../../domain/index.ts';
import type { AccountId, ClientOrderId, Order } from '../../domain/index.ts';
import type { MetricsRegistry } from '../../observability/index.ts';
import type { ReplyTo } from '../kernel/index.ts';
import { ClientOrderIdFilter } from './client-order-id-filter.ts';
import type { Ctx, Effect, ManagerContext } from './manager-context.ts';
import type { OrdersCommand } from './order-manager-messages.ts';
import type { OrderHistoryStore } from './order-history-store.ts';
import { evictedEvent } from './orders-state.ts';
import type { OrdersState, TrackedOrder } from './orders-state.ts';

/** Commands that name one client order id and must see archived orders too. */
export type HistoryGatedCommand = Extract<
  OrdersCommand,
  { type: 'place' | 'cancel' | 'cancel-replace' | 'get' }
>;

/** The order manager's own follow-ups for its history (each names the activation it belongs to). */
export type HistoryStep =
  | { readonly type: 'loaded'; readonly activation: number; readonly filter: ClientOrderIdFilter }
  | {
      readonly type: 'checked';
      readonly activation: number;
      readonly command: HistoryGatedCommand;
      readonly lookup: Lookup;
      readonly found: Order | undefined;
      readonly failure?: unknown;
    }
  | { readonly type: 'archive'; readonly activation: number }
  | { readonly type: 'archived'; readonly activation: number; readonly orders: readonly TrackedOrder[] }
  | { readonly type: 'archive-failed'; readonly activation: number };

/** Orders per archive write (and per `evicted` event). */
const MAX_ARCHIVE_BATCH = 1_000;
/** After a failed archive write, the next attempt waits this long. */
const ARCHIVE_RETRY_MS = 5_000;
const LOAD_RETRY_MAX_MS = 30_000;

/** One read of the table for one id; `evicted` once that id left memory while it was in flight. */
interface Lookup {
  readonly id: ClientOrderId;
  evicted: boolean;
}

interface HistoryActivation {
  readonly serial: number;
  /** Archived ids; undefined until loaded, and then every unknown id is a probable repeat. */
  filter: ClientOrderIdFilter | undefined;
  readonly evictedWhileLoading: ClientOrderId[];
  /** Reads in flight per id (a read that started before the id's archive must not count). */
  readonly lookups: Map<ClientOrderId, Set<Lookup>>;
  archiving: boolean;
  retryArchiveAt: number;
  loadTimer: ReturnType<typeof setTimeout> | undefined;
  stopped: boolean;
}

function gatedId(command: OrdersCommand): string | undefined {
  switch (command.type) {
    case 'place':
      return command.request.clientOrderId;
    case 'cancel-replace':
      return command.replacement.clientOrderId;
    case 'cancel':
    case 'get':
      return command.clientOrderId;
    default:
      return undefined;
  }
}

function gatedReplyTo(command: HistoryGatedCommand): ReplyTo<never> | undefined {
  return command.replyTo;
}

/** The caller to refuse when a history step fails (a `checked` step answers its command's caller). */
export function historyReplyTo(step: HistoryStep): ReplyTo<never> | undefined {
  return step.type === 'checked' ? gatedReplyTo(step.command) : undefined;
}

/**
 * The history side of the `orders` kind. Without a store it does nothing and finished orders beyond
 * the window leave memory as before (no permanent record).
 */
export class OrderHistory {
  private readonly activations = new Map<string, HistoryActivation>();
  private serials = 0;
  private readonly counts;
  /** Archive once this many finished orders are held (a slack above the window batches writes). */
  private readonly archiveAbove: number;

  constructor(
    private readonly m: ManagerContext,
    private readonly store: OrderHistoryStore | undefined,
    private readonly retainFinished: number,
    metrics: MetricsRegistry,
  ) {
    this.archiveAbove = retainFinished + Math.min(100, Math.floor(retainFinished / 10));
    this.counts = metrics.counter({
      name: 'ninja_orders_history_total',
      help: 'Order history: archived orders, and reads of probable repeats by outcome',
      labelNames: ['op', 'outcome'],
    });
  }

  /** True when finished orders are archived (the state then keeps them until they are). */
  get enabled(): boolean {
    return this.store !== undefined;
  }

  /**
   * Starts an activation: rebuilds its filter of archived ids in the background. Returns what to do
   * when one of its orders leaves memory.
   */
  start(ctx: Ctx): (clientOrderId: ClientOrderId) => void {
    this.stop(ctx.identity);
    this.serials += 1;
    const activation: HistoryActivation = {
      serial: this.serials,
      filter: undefined,
      evictedWhileLoading: [],
      lookups: new Map(),
      archiving: false,
      retryArchiveAt: 0,
      loadTimer: undefined,
      stopped: false,
    };
    this.activations.set(ctx.identity, activation);
    if (this.store !== undefined) this.load(activation, ctx, 0);
    return (clientOrderId) => {
      // Without a history there is no filter to load: keeping the ids for it would grow forever.
      if (this.store === undefined) return;
      if (activation.filter === undefined) activation.evictedWhileLoading.push(clientOrderId);
      else activation.filter.add(clientOrderId);
      for (const lookup of activation.lookups.get(clientOrderId) ?? []) lookup.evicted = true;
    };
  }

  private load(activation: HistoryActivation, ctx: Ctx, attempt: number): void {
    const store = this.store;
    if (store === undefined || activation.stopped) return;
    const accountId = this.m.accountId(ctx);
    const filter = new ClientOrderIdFilter();
    const startedAt = performance.now();
    store
      .forEachClientOrderId(accountId, (ids) => {
        for (const id of ids) filter.add(id);
      })
      .then(() => {
        ctx.logger.debug(
          { archived: filter.size, bytes: filter.bytes, ms: Math.round(performance.now() - startedAt) },
          'order history filter loaded',
        );
        this.step(ctx, { type: 'loaded', activation: activation.serial, filter });
      })
      .catch((error: unknown) => {
        const retryMs = Math.min(LOAD_RETRY_MAX_MS, 1_000 * 2 ** attempt);
        ctx.logger.warn(
          { err: error, retryMs },
          'order history ids not loaded; every unknown client order id reads the table until they are',
        );
        if (activation.stopped) return;
        activation.loadTimer = setTimeout(() => this.load(activation, ctx, attempt + 1), retryMs);
        activation.loadTimer.unref();
      });
  }

  /**
   * Defers a command naming a client order id the state does not hold but the history may: it is
   * handled again once the table has been read (`checked`). A new id the filter has never seen is
   * not deferred: no database read on the path of a new order.
   */
  defers(state: OrdersState, command: OrdersCommand, ctx: Ctx): boolean {
    if (this.store === undefined) return false;
    const text = gatedId(command);
    // An invalid id is refused by the command itself, naming the field.
    if (text === undefined || !isClientOrderId(text) || state.orders.has(text)) return false;
    const activation = this.activations.get(ctx.identity);
    if (activation === undefined) return false;
    if (activation.filter !== undefined && !activation.filter.mightContain(text)) return false;
    this.lookup(activation, ctx, command as HistoryGatedCommand, text);
    return true;
  }

  private lookup(
    activation: HistoryActivation,
    ctx: Ctx,
    command: HistoryGatedCommand,
    id: ClientOrderId,
  ): void {
    const store = this.store;
    if (store === undefined) return;
    const lookup: Lookup = { id, evicted: false };
    const pending = activation.lookups.get(id);
    if (pending === undefined) activation.lookups.set(id, new Set([lookup]));
    else pending.add(lookup);
    const done = (found: Order | undefined, failure?: unknown): void =>
      this.step(ctx, {
        type: 'checked',
        activation: activation.serial,
        command,
        lookup,
        found,
        ...(failure === undefined ? {} : { failure }),
      });
    store.find(this.m.accountId(ctx), id).then(
      (found) => done(found),
      (error: unknown) => done(undefined, error ?? new Error('order history read failed')),
    );
  }

  /** Starts archiving when more finished orders are held than the window (checked on each message). */
  maybeArchive(state: OrdersState, ctx: Ctx): void {
    if (this.store === undefined || state.finished.size <= this.archiveAbove) return;
    const activation = this.activations.get(ctx.identity);
    if (activation === undefined || activation.archiving || activation.stopped) return;
    if (Date.now() < activation.retryArchiveAt) return;
    activation.archiving = true;
    this.step(ctx, { type: 'archive', activation: activation.serial });
  }

  handle(
    state: OrdersState,
    step: HistoryStep,
    ctx: Ctx,
    dispatch: (command: HistoryGatedCommand) => Effect,
  ): Effect {
    const activation = this.activations.get(ctx.identity);
    const current = activation !== undefined && activation.serial === step.activation;
    switch (step.type) {
      case 'loaded':
        if (!current) return {};
        for (const id of activation.evictedWhileLoading) step.filter.add(id);
        activation.evictedWhileLoading.length = 0;
        activation.filter = step.filter;
        return {};
      case 'checked':
        return this.checked(state, step, ctx, current ? activation : undefined, dispatch);
      case 'archive':
        return current ? this.archive(state, activation, ctx) : {};
      case 'archived':
        return current ? this.archived(state, activation, step.orders) : {};
      case 'archive-failed':
        if (current) {
          activation.archiving = false;
          activation.retryArchiveAt = Date.now() + ARCHIVE_RETRY_MS;
        }
        return {};
    }
  }

  private checked(
    state: OrdersState,
    step: Extract<HistoryStep, { type: 'checked' }>,
    ctx: Ctx,
    activation: HistoryActivation | undefined,
    dispatch: (command: HistoryGatedCommand) => Effect,
  ): Effect {
    const { command, lookup } = step;
    const id = lookup.id;
    const pending = activation?.lookups.get(id);
    pending?.delete(lookup);
    if (pending?.size === 0) activation?.lookups.delete(id);
    if (step.failure !== undefined) {
      this.counts.inc({ op: 'lookup', outcome: 'failed' });
      ctx.logger.warn({ err: step.failure, clientOrderId: id }, 'order history read failed');
      const replyTo = gatedReplyTo(command);
      const error = new UnavailableError(`order history could not be read for ${id}; retry`, {
        cause: step.failure,
        details: { clientOrderId: id },
      });
      if (replyTo !== undefined) ctx.fail(replyTo, error);
      return {};
    }
    if (!state.orders.has(id)) {
      if (step.found !== undefined) {
        this.counts.inc({ op: 'lookup', outcome: 'found' });
        this.answer(command, step.found, ctx);
        return {};
      }
      // A read that may predate the archive of an order made and finished meanwhile (in this
      // activation, or in an earlier one that has since restarted) is made again, never trusted.
      const again =
        activation === undefined
          ? this.activations.get(ctx.identity)
          : lookup.evicted
            ? activation
            : undefined;
      if (again !== undefined) {
        this.lookup(again, ctx, command, id);
        return {};
      }
      this.counts.inc({ op: 'lookup', outcome: 'not-found' });
    }
    return dispatch(command);
  }

  /** A command whose order is archived: finished, so each is answered with the order as it ended. */
  private answer(command: HistoryGatedCommand, order: Order, ctx: Ctx): void {
    if (command.type === 'place') this.m.metrics.command.inc('place', 'archived');
    if (command.replyTo !== undefined) ctx.reply(command.replyTo, order);
  }

  private archive(state: OrdersState, activation: HistoryActivation, ctx: Ctx): Effect {
    const store = this.store;
    const excess = Math.min(MAX_ARCHIVE_BATCH, state.finished.size - this.retainFinished);
    const picked: TrackedOrder[] = [];
    for (const id of state.finished) {
      if (picked.length >= excess) break;
      const tracked = state.orders.get(id);
      if (tracked !== undefined) picked.push(tracked);
    }
    if (store === undefined || picked.length === 0) {
      activation.archiving = false;
      return {};
    }
    const accountId: AccountId = this.m.accountId(ctx);
    // Written once every event before this command is durable: only finished orders the journal holds.
    return {
      reply: () => {
        store.archive(accountId, picked).then(
          () => this.step(ctx, { type: 'archived', activation: activation.serial, orders: picked }),
          (error: unknown) => {
            ctx.logger.warn(
              { err: error, orders: picked.length, retryMs: ARCHIVE_RETRY_MS },
              'finished orders not archived; they stay in memory until they are',
            );
            this.step(ctx, { type: 'archive-failed', activation: activation.serial });
          },
        );
      },
    };
  }

  private archived(
    state: OrdersState,
    activation: HistoryActivation,
    orders: readonly TrackedOrder[],
  ): Effect {
    activation.archiving = false;
    // An order that changed since it was written stays (it is written again with the next batch).
    const ids = orders
      .filter(
        (t) => state.orders.get(t.order.clientOrderId) === t && state.finished.has(t.order.clientOrderId),
      )
      .map((t) => t.order.clientOrderId);
    this.counts.inc({ op: 'archive', outcome: 'evicted' }, ids.length);
    return ids.length === 0 ? {} : { events: [evictedEvent(ids)] };
  }

  private step(ctx: Ctx, step: HistoryStep): void {
    this.m.tell(ctx, { type: 'history', step });
  }

  private stop(identity: string): void {
    const activation = this.activations.get(identity);
    if (activation === undefined) return;
    activation.stopped = true;
    if (activation.loadTimer !== undefined) clearTimeout(activation.loadTimer);
    this.activations.delete(identity);
  }

  /** Stops every activation's background loading (node shutdown, tests). */
  dispose(): void {
    for (const identity of [...this.activations.keys()]) this.stop(identity);
  }
}
