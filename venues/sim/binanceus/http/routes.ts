import { randomBytes } from 'node:crypto';
import type { Logger } from '../../../../observability/index.ts';
import type { SimRequest, SimResponse } from '../../sim-server.ts';
import { authenticateKey, verifySigned } from '../common/auth.ts';
import type { SimAccountKey } from '../common/auth.ts';
import { BinanceSimError, SimErrors } from '../common/errors.ts';
import { exchangeInfoBody, wire } from '../common/instruments.ts';
import { Params } from '../common/params.ts';
import { updateId } from '../common/sim-state.ts';
import type { BinanceSimState } from '../common/sim-state.ts';
import {
  cancelAll,
  cancelOrder,
  myTrades,
  newOrder,
  openOrders,
  queryOrder,
  symbolOf,
} from './order-routes.ts';

type Security = 'NONE' | 'API_KEY' | 'SIGNED';

interface Route {
  readonly security: Security;
  /** Request weight (rest-api.md); a function when it depends on parameters. */
  readonly weight: number | ((params: Params) => number);
  readonly order?: boolean;
  readonly handle: (ctx: { params: Params; key: SimAccountKey | undefined }) => unknown;
}

export interface BinanceSimRouter {
  handle(request: SimRequest): SimResponse;
  /** Listen keys currently valid, with the account they belong to. */
  readonly listenKeys: Map<string, { accountId: string; expiresAt: number }>;
}

function depthWeight(limit: number): number {
  return limit <= 100 ? 1 : limit <= 500 ? 5 : limit <= 1000 ? 10 : 50;
}

const WEIGHT_LIMIT = 1200;

/** The simulator's REST API: authentication, weights and headers, then the route. */
export function binanceSimRouter(state: BinanceSimState, logger: Logger): BinanceSimRouter {
  const listenKeys = new Map<string, { accountId: string; expiresAt: number }>();
  const weight = { minute: -1, used: 0 };
  const orders = { tenSeconds: -1, inTenSeconds: 0, day: -1, inDay: 0 };

  const need = (key: SimAccountKey | undefined): SimAccountKey => {
    if (key === undefined) throw SimErrors.badApiKeyFormat();
    return key;
  };
  const mustKey = (params: Params, accountId: string): string => {
    const listenKey = params.require('listenKey');
    const entry = listenKeys.get(listenKey);
    if (entry === undefined || entry.accountId !== accountId || entry.expiresAt < state.now()) {
      throw SimErrors.invalidListenKey();
    }
    return listenKey;
  };

  const routes: Record<string, Route> = {
    'GET /api/v3/ping': { security: 'NONE', weight: 1, handle: () => ({}) },
    'GET /api/v3/time': { security: 'NONE', weight: 1, handle: () => ({ serverTime: state.now() }) },
    'GET /api/v3/exchangeInfo': {
      security: 'NONE',
      weight: 10,
      handle: ({ params }) => {
        const one = params.get('symbol');
        const many = params.get('symbols');
        let names = [...state.symbols.keys()];
        if (one !== undefined) names = [one];
        if (many !== undefined) {
          try {
            names = JSON.parse(many) as string[];
          } catch {
            throw SimErrors.mandatory('symbols');
          }
        }
        const chosen = names.map((n) => {
          const s = state.symbols.get(n);
          if (s === undefined) throw SimErrors.badSymbol();
          return s;
        });
        return exchangeInfoBody(chosen, state.now());
      },
    },
    'GET /api/v3/depth': {
      security: 'NONE',
      weight: (p) => depthWeight(p.int('limit') ?? 100),
      handle: ({ params }) => {
        const symbol = symbolOf(state, params);
        const limit = Math.min(params.int('limit') ?? 100, 5000);
        const book = state.engine.book(symbol, limit);
        return {
          lastUpdateId: updateId(state, symbol, book.sequence),
          bids: book.bids.map(([p, q]) => [wire(p), wire(q)]),
          asks: book.asks.map(([p, q]) => [wire(p), wire(q)]),
        };
      },
    },
    'POST /api/v3/order': {
      security: 'SIGNED',
      weight: 1,
      order: true,
      handle: (c) => newOrder(state, need(c.key), c.params, false),
    },
    'POST /api/v3/order/test': {
      security: 'SIGNED',
      weight: 1,
      handle: (c) => newOrder(state, need(c.key), c.params, true),
    },
    'GET /api/v3/order': {
      security: 'SIGNED',
      weight: 2,
      handle: (c) => queryOrder(state, need(c.key), c.params),
    },
    'DELETE /api/v3/order': {
      security: 'SIGNED',
      weight: 1,
      handle: (c) => cancelOrder(state, need(c.key), c.params),
    },
    'GET /api/v3/openOrders': {
      security: 'SIGNED',
      weight: (p) => (p.get('symbol') === undefined ? 40 : 3),
      handle: (c) => openOrders(state, need(c.key), c.params),
    },
    'DELETE /api/v3/openOrders': {
      security: 'SIGNED',
      weight: 1,
      handle: (c) => cancelAll(state, need(c.key), c.params),
    },
    'GET /api/v3/myTrades': {
      security: 'SIGNED',
      weight: 10,
      handle: (c) => myTrades(state, need(c.key), c.params),
    },
    'GET /api/v3/account': {
      security: 'SIGNED',
      weight: 10,
      handle: (c) => ({
        makerCommission: 10,
        takerCommission: 10,
        buyerCommission: 0,
        sellerCommission: 0,
        canTrade: true,
        canWithdraw: true,
        canDeposit: true,
        updateTime: state.now(),
        accountType: 'SPOT',
        balances: state.engine
          .balances(need(c.key).accountId)
          .map((b) => ({ asset: b.asset, free: wire(b.free), locked: wire(b.locked) })),
        permissions: ['SPOT'],
      }),
    },
    'POST /api/v3/userDataStream': {
      security: 'API_KEY',
      weight: 1,
      handle: (c) => {
        const accountId = need(c.key).accountId;
        // A POST while a key is active returns the same key and extends it.
        let listenKey = [...listenKeys].find(
          ([, e]) => e.accountId === accountId && e.expiresAt >= state.now(),
        )?.[0];
        listenKey ??= randomBytes(32).toString('hex');
        listenKeys.set(listenKey, { accountId, expiresAt: state.now() + 60 * 60_000 });
        return { listenKey };
      },
    },
    'PUT /api/v3/userDataStream': {
      security: 'API_KEY',
      weight: 1,
      handle: (c) => {
        const accountId = need(c.key).accountId;
        listenKeys.set(mustKey(c.params, accountId), { accountId, expiresAt: state.now() + 60 * 60_000 });
        return {};
      },
    },
    'DELETE /api/v3/userDataStream': {
      security: 'API_KEY',
      weight: 1,
      handle: (c) => {
        listenKeys.delete(mustKey(c.params, need(c.key).accountId));
        return {};
      },
    },
  };

  function headers(isOrder: boolean, ok: boolean): Record<string, string> {
    const h: Record<string, string> = { 'X-MBX-USED-WEIGHT-1M': String(weight.used) };
    if (isOrder && ok) {
      h['X-MBX-ORDER-COUNT-10S'] = String(orders.inTenSeconds);
      h['X-MBX-ORDER-COUNT-1D'] = String(orders.inDay);
    }
    return h;
  }

  function handle(request: SimRequest): SimResponse {
    const route = routes[`${request.method} ${request.path}`];
    let isOrder = false;
    try {
      if (route === undefined)
        return {
          status: 404,
          body: { code: -1000, msg: `Unknown endpoint ${request.method} ${request.path}.` },
        };
      isOrder = route.order === true;
      const params = new Params(request.rawQuery, request.body);
      const now = state.now();
      const minute = Math.floor(now / 60_000);
      if (minute !== weight.minute) Object.assign(weight, { minute, used: 0 });
      weight.used += typeof route.weight === 'number' ? route.weight : route.weight(params);
      if (weight.used > WEIGHT_LIMIT) {
        const retryAfter = Math.ceil(((minute + 1) * 60_000 - now) / 1000);
        return {
          status: 429,
          headers: { ...headers(false, false), 'Retry-After': String(retryAfter) },
          body: SimErrors.tooManyRequests().body(),
        };
      }
      let key: SimAccountKey | undefined;
      if (route.security !== 'NONE') key = authenticateKey(request.headers, state.keys);
      if (route.security === 'SIGNED' && key !== undefined)
        verifySigned(request.rawQuery, request.body, params, key, now);
      if (isOrder) countOrder(now);
      const body = route.handle({ params, key });
      return { status: 200, headers: headers(isOrder, true), body };
    } catch (error) {
      if (error instanceof BinanceSimError) {
        return { status: error.status, headers: headers(isOrder, false), body: error.body() };
      }
      logger.error({ err: error, path: request.path }, 'simulator route failed');
      const internal = SimErrors.internal();
      return { status: internal.status, body: internal.body() };
    }
  }

  function countOrder(now: number): void {
    const ten = Math.floor(now / 10_000);
    const day = Math.floor(now / 86_400_000);
    if (ten !== orders.tenSeconds) Object.assign(orders, { tenSeconds: ten, inTenSeconds: 0 });
    if (day !== orders.day) Object.assign(orders, { day, inDay: 0 });
    orders.inTenSeconds += 1;
    orders.inDay += 1;
  }

  return { handle, listenKeys };
}
