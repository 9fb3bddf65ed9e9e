import { FixedDecimal, Price, Quantity, RoundingMode } from '../../../domain/values/index.ts';
import type { Logger } from '../../../observability/index.ts';
import type { EngineEvent, PaperOrderEvent, SubmitOrder } from '../../paper/index.ts';
import { money, rfc3339 } from './common/format.ts';
import type { SimInstrument } from './common/instruments.ts';
import type { SimOrder } from './common/sim-order.ts';
import type { OandaSimState } from './common/sim-state.ts';
import type { SimTransaction } from './common/transaction-log.ts';

/** A validated create request (order-routes.ts checks the wire body). */
export interface NewSimOrder {
  readonly clientId: string | undefined;
  readonly instrument: SimInstrument;
  readonly type: 'MARKET' | 'LIMIT' | 'STOP';
  readonly units: FixedDecimal;
  readonly timeInForce: string;
  readonly price: string | undefined;
  readonly priceBound: string | undefined;
  readonly expiresAt: number | undefined;
  readonly positionFill: string;
  /** The create transaction's wire fields (echoing the request). */
  readonly wire: Readonly<Record<string, unknown>>;
}

export interface CreateOutcome {
  readonly create: SimTransaction;
  readonly fill?: SimTransaction;
  readonly cancel?: SimTransaction;
  readonly related: readonly string[];
}

const CREATE_TYPE = { MARKET: 'MARKET_ORDER', LIMIT: 'LIMIT_ORDER', STOP: 'STOP_ORDER' } as const;
const ENGINE_PREFIX = 'o';
/**
 * Filled and cancelled orders kept for the Order endpoints: the newest this many (the paper engine's
 * default window; keeping every order grew without bound). Pending orders are always kept.
 */
export const CLOSED_ORDERS_KEPT = 10_000;

/**
 * The simulated account's orders on top of the paper engine: creation (margin and halt checks,
 * then matching), fills and expiries from engine events turned into ORDER_FILL / ORDER_CANCEL
 * transactions (one fill transaction per order per engine command, at the volume-weighted price),
 * client cancels, and GTD/GFD expiry.
 */
export class SimOrders {
  readonly #state: OandaSimState;
  readonly #logger: Logger;
  readonly #orders = new Map<string, SimOrder>();
  /** The newest order per client id (a lookup by `@clientId` finds it). */
  readonly #byClientId = new Map<string, SimOrder>();
  /** Pending GTD and GFD orders: what `expire` looks at. */
  readonly #expiring = new Set<SimOrder>();
  /** Filled and cancelled orders, oldest first: beyond CLOSED_ORDERS_KEPT the oldest is forgotten. */
  readonly #closed: SimOrder[] = [];
  readonly #closedKept: number;
  readonly #pending: PaperOrderEvent[] = [];
  readonly #clientCancels = new Set<string>();
  #flushScheduled = false;

  constructor(state: OandaSimState, logger: Logger, closedKept = CLOSED_ORDERS_KEPT) {
    this.#state = state;
    this.#logger = logger;
    this.#closedKept = closedKept;
    state.engine.subscribe((event) => this.#onEngine(event));
  }

  get(id: string): SimOrder | undefined {
    return this.#orders.get(id);
  }

  /** By id or `@clientId` (the newest order with that client id). */
  find(specifier: string): SimOrder | undefined {
    if (!specifier.startsWith('@')) return this.#orders.get(specifier);
    return this.#byClientId.get(specifier.slice(1));
  }

  all(): SimOrder[] {
    return [...this.#orders.values()];
  }

  /** A new order with a client id is refused while one with it is pending, so only the newest can be. */
  pendingWithClientId(clientId: string): boolean {
    return this.#byClientId.get(clientId)?.state === 'PENDING';
  }

  create(request: NewSimOrder): CreateOutcome {
    const s = this.#state;
    const now = s.now();
    const create = s.log.append(
      CREATE_TYPE[request.type],
      { ...request.wire, reason: 'CLIENT_ORDER' },
      rfc3339(now),
    );
    const order: SimOrder = {
      id: create.id,
      clientId: request.clientId,
      instrument: request.instrument,
      type: request.type,
      units: request.units,
      timeInForce: request.timeInForce,
      price: request.price,
      priceBound: request.priceBound,
      expiresAt: request.expiresAt,
      positionFill: request.positionFill,
      createTime: now,
      state: 'PENDING',
      filled: FixedDecimal.zero(),
    };
    this.#orders.set(order.id, order);
    if (order.expiresAt !== undefined) this.#expiring.add(order);
    if (request.clientId !== undefined) {
      this.#byClientId.set(request.clientId, order);
      s.accepted.set(request.clientId, (s.accepted.get(request.clientId) ?? 0) + 1);
    }
    const first = Number(s.log.lastId);
    const name = request.instrument.name;
    const checkPrice = request.price ?? this.#state.account.mid(request.instrument).toString();
    if (request.type === 'MARKET' && s.halted.has(name)) {
      this.#cancel(order, 'MARKET_HALTED', create.id);
    } else if (!s.account.canAfford(request.instrument, request.units, FixedDecimal.parse(checkPrice))) {
      this.#cancel(order, 'INSUFFICIENT_MARGIN', create.id);
    } else {
      this.#submit(order);
    }
    const produced = s.log.since(first, undefined);
    // A window of thousands of transactions keeps the few this order just produced.
    if (produced === undefined) throw new Error(`order ${order.id}: its transactions are no longer kept`);
    const fill = produced.find((t) => t.type === 'ORDER_FILL' && t['orderID'] === order.id);
    const cancel = produced.find((t) => t.type === 'ORDER_CANCEL' && t['orderID'] === order.id);
    return {
      create,
      ...(fill === undefined ? {} : { fill }),
      ...(cancel === undefined ? {} : { cancel }),
      related: [create.id, ...produced.map((t) => t.id)],
    };
  }

  /** A client cancel of a pending order; returns the ORDER_CANCEL transaction. */
  cancelByClient(order: SimOrder): SimTransaction {
    if (order.engineOrderId !== undefined) {
      this.#clientCancels.add(order.engineOrderId);
      const result = this.#state.engine.cancel(
        this.#state.accountId,
        { orderId: order.engineOrderId },
        order.instrument.name,
      );
      this.#flush();
      this.#clientCancels.delete(order.engineOrderId);
      if (!result.cancelled)
        this.#logger.warn({ order: order.id, reason: result.reason }, 'engine had already closed the order');
    }
    return this.#cancel(order, 'CLIENT_REQUEST');
  }

  /** Cancels pending GTD/GFD orders whose time has come. */
  expire(now: number): number {
    let n = 0;
    for (const o of this.#expiring) {
      if (o.state !== 'PENDING' || o.expiresAt === undefined || o.expiresAt > now) continue;
      if (o.engineOrderId !== undefined) {
        this.#clientCancels.add(o.engineOrderId);
        this.#state.engine.cancel(this.#state.accountId, { orderId: o.engineOrderId }, o.instrument.name);
        this.#flush();
        this.#clientCancels.delete(o.engineOrderId);
      }
      this.#cancel(o, 'TIME_IN_FORCE_EXPIRED');
      n++;
    }
    return n;
  }

  #submit(order: SimOrder): void {
    const side = order.units.isNegative() ? 'SELL' : 'BUY';
    const quantity = Quantity.from(order.units.abs());
    const base = {
      clientOrderId: `${ENGINE_PREFIX}${order.id}`,
      instrumentId: order.instrument.name,
      side,
      quantity,
    } as const;
    const ioc = order.timeInForce === 'FOK' ? 'FOK' : order.timeInForce === 'IOC' ? 'IOC' : 'GTC';
    let cmd: SubmitOrder;
    if (order.type === 'MARKET') {
      cmd =
        order.priceBound === undefined
          ? { ...base, type: 'MARKET', timeInForce: ioc === 'GTC' ? 'FOK' : ioc }
          : {
              ...base,
              type: 'LIMIT',
              timeInForce: ioc === 'GTC' ? 'FOK' : ioc,
              price: Price.parse(order.priceBound),
            };
    } else if (order.type === 'LIMIT') {
      cmd = { ...base, type: 'LIMIT', timeInForce: ioc, price: Price.parse(order.price ?? '0') };
    } else {
      const stop = Price.parse(order.price ?? '0');
      cmd =
        order.priceBound === undefined
          ? { ...base, type: 'STOP', timeInForce: 'GTC', stopPrice: stop }
          : {
              ...base,
              type: 'STOP_LIMIT',
              timeInForce: 'GTC',
              stopPrice: stop,
              price: Price.parse(order.priceBound),
            };
    }
    const result = this.#state.engine.submit(this.#state.accountId, cmd);
    if (result.accepted) {
      order.engineOrderId = result.order.orderId;
      this.#flush();
      return;
    }
    const reason =
      result.reason === 'FOK_NOT_FILLABLE' || result.reason === 'NO_LIQUIDITY'
        ? order.priceBound === undefined
          ? 'INSUFFICIENT_LIQUIDITY'
          : 'BOUNDS_VIOLATION'
        : result.reason === 'INSUFFICIENT_BALANCE'
          ? 'INSUFFICIENT_MARGIN'
          : 'INTERNAL_SERVER_ERROR';
    if (reason === 'INTERNAL_SERVER_ERROR')
      this.#logger.warn({ order: order.id, result }, 'engine refused an order');
    this.#cancel(order, reason);
  }

  #cancel(order: SimOrder, reason: string, batchId?: string): SimTransaction {
    const now = this.#state.now();
    const fields: Record<string, unknown> = { orderID: order.id, reason };
    if (order.clientId !== undefined) fields['clientOrderID'] = order.clientId;
    const t = this.#state.log.append('ORDER_CANCEL', fields, rfc3339(now), batchId);
    const wasPending = order.state === 'PENDING';
    order.state = 'CANCELLED';
    order.cancelledTime = now;
    order.cancellingTransactionID = t.id;
    if (wasPending) this.#settled(order);
    return t;
  }

  /** An order left PENDING for good: kept among the newest closed ones, the oldest forgotten. */
  #settled(order: SimOrder): void {
    this.#expiring.delete(order);
    this.#closed.push(order);
    if (this.#closed.length <= this.#closedKept) return;
    const old = this.#closed.shift() as SimOrder;
    this.#orders.delete(old.id);
    const clientId = old.clientId;
    if (clientId === undefined) return;
    if (this.#byClientId.get(clientId) === old) this.#byClientId.delete(clientId);
    const accepted = this.#state.accepted;
    const count = accepted.get(clientId) ?? 0;
    if (count > 1) accepted.set(clientId, count - 1);
    else accepted.delete(clientId);
  }

  #onEngine(event: EngineEvent): void {
    if (event.kind !== 'order' || event.accountId !== this.#state.accountId) return;
    this.#pending.push(event);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      queueMicrotask(() => this.#flush());
    }
  }

  /** Turns the engine events gathered since the last flush into transactions. */
  #flush(): void {
    this.#flushScheduled = false;
    const events = this.#pending.splice(0);
    const fills = new Map<SimOrder, PaperOrderEvent[]>();
    const closes: Array<[SimOrder, PaperOrderEvent]> = [];
    for (const e of events) {
      const order = this.#orders.get(e.order.clientOrderId.slice(ENGINE_PREFIX.length));
      if (order === undefined) continue;
      order.engineOrderId ??= e.order.orderId;
      if (e.execution === 'TRADE' && e.fill !== undefined) {
        const list = fills.get(order) ?? [];
        list.push(e);
        fills.set(order, list);
      } else if (
        (e.execution === 'EXPIRED' || e.execution === 'CANCELED') &&
        !this.#clientCancels.has(e.order.orderId)
      ) {
        closes.push([order, e]);
      }
    }
    for (const [order, list] of fills) this.#fill(order, list);
    for (const [order] of closes) {
      if (order.state === 'PENDING')
        this.#cancel(order, order.priceBound === undefined ? 'INSUFFICIENT_LIQUIDITY' : 'BOUNDS_VIOLATION');
    }
  }

  #fill(order: SimOrder, events: readonly PaperOrderEvent[]): void {
    const s = this.#state;
    let units = FixedDecimal.zero();
    let notional = FixedDecimal.zero();
    for (const e of events) {
      const fill = e.fill;
      if (fill === undefined) continue;
      const q = FixedDecimal.from(fill.quantity);
      units = units.add(q);
      notional = notional.add(q.mul(fill.price));
    }
    if (units.isZero()) return;
    const i = order.instrument;
    const vwap = notional.div(units, i.displayPrecision, RoundingMode.HALF_EVEN);
    const signed = order.units.isNegative() ? units.neg() : units;
    const opening = s.account.position(i.name).units;
    const pl = s.account.fill(i, signed, vwap);
    const now = s.now();
    const fields: Record<string, unknown> = {
      orderID: order.id,
      instrument: i.name,
      units: signed.toString(),
      price: vwap.toString(),
      fullVWAP: vwap.toString(),
      reason: `${order.type}_ORDER`,
      pl: money(pl),
      financing: '0.0000',
      commission: '0.0000',
      guaranteedExecutionFee: '0.0000',
      halfSpreadCost: '0.0000',
      accountBalance: money(s.account.balance),
    };
    if (order.clientId !== undefined) fields['clientOrderID'] = order.clientId;
    if (opening.isZero() || opening.sign() === signed.sign()) {
      fields['tradeOpened'] = { tradeID: s.log.nextId, units: signed.toString() };
    }
    const t = s.log.append('ORDER_FILL', fields, rfc3339(now));
    order.filled = order.filled.add(units);
    if (order.filled.gte(order.units.abs())) {
      const wasPending = order.state === 'PENDING';
      order.state = 'FILLED';
      order.filledTime = now;
      order.fillingTransactionID = t.id;
      if (wasPending) this.#settled(order);
    }
  }
}
