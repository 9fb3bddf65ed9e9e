import type { Logger } from '../../../../observability/index.ts';
import type { SimRequest, SimResponse } from '../../sim-server.ts';
import { bearer, verifyJwt } from '../common/auth.ts';
import type { SimApiKey } from '../common/auth.ts';
import { CoinbaseSimError, SimErrors } from '../common/errors.ts';
import { iso } from '../common/format.ts';
import { productBody } from '../common/products.ts';
import type { CoinbaseSimState } from '../common/sim-state.ts';
import { createOrder } from './create-order.ts';
import { batchCancel, getOrder, listFills, listOrders } from './order-routes.ts';

const PREFIX = '/api/v3/brokerage';
const ORDER_BY_ID = /^\/orders\/historical\/([^/]+)$/;
const PRODUCT_BY_ID = /^\/(market\/)?products\/([^/]+)$/;

interface Context {
  readonly key: SimApiKey | undefined;
  readonly query: URLSearchParams;
  readonly body: unknown;
}

export interface CoinbaseSimRouter {
  handle(request: SimRequest): Promise<SimResponse>;
}

/** The simulator's REST API: JWT authentication, per-key rate limit and headers, then the route (injected faults are answered before, by the server with coinbaseFaultAnswers). */
export function coinbaseSimRouter(state: CoinbaseSimState, logger: Logger): CoinbaseSimRouter {
  const windows = new Map<string, { second: number; used: number }>();

  function book(query: URLSearchParams): unknown {
    const productId = query.get('product_id') ?? '';
    if (!state.products.has(productId)) throw SimErrors.notFound(`product ${productId} not found`);
    const limit = Math.min(Number(query.get('limit') ?? '50') || 50, 1000);
    const b = state.engine.book(productId, limit);
    return {
      pricebook: {
        product_id: productId,
        bids: b.bids.map(([p, q]) => ({ price: p.toString(), size: q.toString() })),
        asks: b.asks.map(([p, q]) => ({ price: p.toString(), size: q.toString() })),
        time: iso(state.now()),
      },
    };
  }

  function products(): unknown {
    const list = [...state.products.values()].map((p) => productBody(p, state.engine.lastPrice(p.spec.id)));
    return { products: list, num_products: list.length };
  }

  function product(id: string): unknown {
    const p = state.products.get(id);
    if (p === undefined) throw SimErrors.notFound(`product ${id} not found`);
    return productBody(p, state.engine.lastPrice(id));
  }

  function accounts(key: SimApiKey): unknown {
    const list = state.engine.balances(key.accountId).map((b) => ({
      uuid: `${key.accountId}-${b.asset}`,
      name: `${b.asset} Wallet`,
      currency: b.asset,
      available_balance: { value: b.free.toString(), currency: b.asset },
      default: true,
      active: true,
      created_at: iso(0),
      updated_at: iso(state.now()),
      deleted_at: null,
      type: 'ACCOUNT_TYPE_CRYPTO',
      ready: true,
      hold: { value: b.locked.toString(), currency: b.asset },
    }));
    return { accounts: list, has_next: false, cursor: '', size: list.length };
  }

  const need = (c: Context): SimApiKey => {
    if (c.key === undefined) throw SimErrors.unauthorized('missing bearer token');
    return c.key;
  };

  /** The route for METHOD + path (under the prefix); `auth: false` for the public market endpoints. */
  function route(method: string, path: string): { auth: boolean; run: (c: Context) => unknown } | undefined {
    if (method === 'GET') {
      if (path === '/products') return { auth: true, run: () => products() };
      if (path === '/market/products') return { auth: false, run: () => products() };
      if (path === '/product_book') return { auth: true, run: (c) => book(c.query) };
      if (path === '/market/product_book') return { auth: false, run: (c) => book(c.query) };
      if (path === '/accounts') return { auth: true, run: (c) => accounts(need(c)) };
      if (path === '/orders/historical/batch')
        return { auth: true, run: (c) => listOrders(state, need(c), c.query) };
      if (path === '/orders/historical/fills')
        return { auth: true, run: (c) => listFills(state, need(c), c.query) };
      const order = ORDER_BY_ID.exec(path);
      if (order !== null) {
        const id = decodeURIComponent(order[1] as string);
        return { auth: true, run: (c) => getOrder(state, need(c), id) };
      }
      const p = PRODUCT_BY_ID.exec(path);
      if (p !== null) {
        const id = decodeURIComponent(p[2] as string);
        return { auth: p[1] === undefined, run: () => product(id) };
      }
    }
    if (method === 'POST') {
      if (path === '/orders') return { auth: true, run: (c) => createOrder(state, need(c), c.body) };
      if (path === '/orders/batch_cancel')
        return { auth: true, run: (c) => batchCancel(state, need(c), c.body) };
    }
    return undefined;
  }

  function rateHeaders(keyName: string, now: number): { headers: Record<string, string>; limited: boolean } {
    const second = Math.floor(now / 1000);
    let w = windows.get(keyName);
    if (w === undefined || w.second !== second) {
      w = { second, used: 0 };
      windows.set(keyName, w);
    }
    w.used += 1;
    const remaining = Math.max(0, state.requestsPerSecond - w.used);
    return {
      headers: {
        'x-ratelimit-limit': String(state.requestsPerSecond),
        'x-ratelimit-remaining': String(remaining),
        'x-ratelimit-reset': String(second + 1),
      },
      limited: w.used > state.requestsPerSecond,
    };
  }

  async function handle(request: SimRequest): Promise<SimResponse> {
    let headers: Record<string, string> = {};
    try {
      if (!request.path.startsWith(PREFIX))
        throw SimErrors.notFound(`no route ${request.method} ${request.path}`);
      const r = route(request.method, request.path.slice(PREFIX.length));
      if (r === undefined) throw SimErrors.notFound(`no route ${request.method} ${request.path}`);
      const now = state.now();
      let key: SimApiKey | undefined;
      if (r.auth) {
        const host = request.headers.host ?? '';
        key = await verifyJwt(
          bearer(request.headers.authorization),
          state.keys,
          now,
          `${request.method} ${host}${request.path}`,
        );
        const rate = rateHeaders(key.keyName, now);
        headers = rate.headers;
        if (rate.limited) throw SimErrors.tooManyRequests();
      }
      let body: unknown;
      if (request.body.length > 0) {
        try {
          body = JSON.parse(request.body) as unknown;
        } catch {
          // The venue answers an unparsable body as a bad request.
          throw SimErrors.invalidArgument('request body is not valid JSON');
        }
      }
      const result = r.run({ key, query: new URLSearchParams(request.rawQuery), body });
      return { status: 200, headers, body: result };
    } catch (error) {
      if (error instanceof CoinbaseSimError) return { status: error.status, headers, body: error.body() };
      logger.error({ err: error, path: request.path }, 'simulator route failed');
      return { status: 500, body: SimErrors.internal().body() };
    }
  }

  return { handle };
}
