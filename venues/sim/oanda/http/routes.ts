import type { Logger } from '../../../../observability/index.ts';
import type { SimRequest, SimResponse } from '../../sim-server.ts';
import { clientPrice } from '../common/client-price.ts';
import { OandaSimErrors } from '../common/errors.ts';
import { money, rfc3339 } from '../common/format.ts';
import { instrumentBody } from '../common/instruments.ts';
import type { OandaSimState } from '../common/sim-state.ts';
import type { SimOrders } from '../sim-orders.ts';
import { cancelOrderRoute, createOrderRoute, getOrderRoute, listOrdersRoute } from './order-routes.ts';

const ACCOUNT = /^\/v3\/accounts\/([^/]+)(\/.*)?$/;
const ORDER = /^\/orders\/([^/]+)$/;
const CANCEL = /^\/orders\/([^/]+)\/cancel$/;

/** The REST endpoints of the simulated v20 API (the streams are served by the stream hub). */
export class OandaSimRouter {
  readonly #state: OandaSimState;
  readonly #orders: SimOrders;
  readonly #logger: Logger;

  constructor(state: OandaSimState, orders: SimOrders, logger: Logger) {
    this.#state = state;
    this.#orders = orders;
    this.#logger = logger;
  }

  /** Whether the request carries the account's bearer token. */
  authorized(request: SimRequest): boolean {
    return request.headers.authorization === `Bearer ${this.#state.token}`;
  }

  /** The account-relative path of a request for our account, or a response refusing it. */
  accountPath(request: SimRequest): string | SimResponse {
    if (!this.authorized(request)) return OandaSimErrors.unauthorized();
    const m = ACCOUNT.exec(request.path);
    if (m === null) return OandaSimErrors.notFound();
    if (decodeURIComponent(m[1] ?? '') !== this.#state.accountId) return OandaSimErrors.forbidden();
    return m[2] ?? '';
  }

  handle(request: SimRequest): SimResponse {
    const s = this.#state;
    if (request.path === '/v3/accounts') {
      if (!this.authorized(request)) return OandaSimErrors.unauthorized();
      return { status: 200, body: { accounts: [{ id: s.accountId, tags: [] }] } };
    }
    const rest = this.accountPath(request);
    if (typeof rest !== 'string') return rest;
    const query = new URLSearchParams(request.rawQuery);
    const get = request.method === 'GET';
    this.#orders.expire(s.now());
    if (rest === '/orders' && request.method === 'POST')
      return createOrderRoute(s, this.#orders, request.body);
    if (rest === '/orders' && get) return listOrdersRoute(s, this.#orders, query, false);
    if (rest === '/pendingOrders' && get) return listOrdersRoute(s, this.#orders, query, true);
    const cancel = CANCEL.exec(rest);
    if (cancel !== null) {
      if (request.method !== 'PUT') return OandaSimErrors.methodNotAllowed();
      return cancelOrderRoute(s, this.#orders, decodeURIComponent(cancel[1] ?? ''));
    }
    const order = ORDER.exec(rest);
    if (order !== null && get) return getOrderRoute(s, this.#orders, decodeURIComponent(order[1] ?? ''));
    if (!get) return OandaSimErrors.methodNotAllowed();
    switch (rest) {
      case '':
      case '/summary':
        return { status: 200, body: { account: this.#summary(), lastTransactionID: s.log.lastId } };
      case '/instruments': {
        const wanted = query.get('instruments')?.split(',');
        const list = [...s.instruments.values()].filter(
          (i) => wanted === undefined || wanted.includes(i.name),
        );
        return {
          status: 200,
          body: { instruments: list.map(instrumentBody), lastTransactionID: s.log.lastId },
        };
      }
      case '/transactions/sinceid': {
        const id = query.get('id');
        if (id === null || !/^[0-9]{1,15}$/.test(id))
          return OandaSimErrors.badRequest("Invalid value specified for 'id'");
        const types = query.get('type');
        const list = s.log.since(Number(id), types === null ? undefined : new Set(types.split(',')));
        // The simulator keeps a window of transactions (common/transaction-log.ts); the real venue keeps all.
        if (list === undefined)
          return OandaSimErrors.badRequest(
            `Transactions after ${id} are no longer kept by the simulator (it keeps the newest ${String(s.log.kept)})`,
          );
        return { status: 200, body: { transactions: list, lastTransactionID: s.log.lastId } };
      }
      case '/pricing': {
        const names = (query.get('instruments') ?? '').split(',').filter((n) => n.length > 0);
        const wanted = names.map((n) => s.instruments.get(n));
        if (names.length === 0 || wanted.includes(undefined)) {
          return OandaSimErrors.badRequest("Invalid value specified for 'instruments'");
        }
        const now = s.now();
        const prices = wanted.flatMap((i) =>
          i === undefined ? [] : [clientPrice(s.engine, i, now, s.halted.has(i.name))],
        );
        return { status: 200, body: { prices, time: rfc3339(now) } };
      }
      default:
        this.#logger.debug({ path: request.path }, 'no such simulated endpoint');
        return OandaSimErrors.notFound();
    }
  }

  #summary(): Record<string, unknown> {
    const s = this.#state;
    const a = s.account;
    const pending = this.#orders.all().filter((o) => o.state === 'PENDING').length;
    return {
      id: s.accountId,
      alias: 'Primary',
      currency: a.currency,
      balance: money(a.balance),
      NAV: money(a.nav()),
      unrealizedPL: money(a.unrealizedPL()),
      marginUsed: money(a.marginUsed()),
      marginAvailable: money(a.marginAvailable()),
      openPositionCount: a.openPositionCount(),
      openTradeCount: a.openPositionCount(),
      pendingOrderCount: pending,
      hedgingEnabled: false,
      lastTransactionID: s.log.lastId,
    };
  }
}
