import type { RateLimit } from '../../actors/principal/index.ts';

/**
 * Default limits, per principal and method (public methods: per source address and method). Login
 * is also limited per account (see LOGIN_PER_ACCOUNT). docs/gateway.md lists them.
 */
export const RateLimits = {
  /** Reads: balances, orders, market data. */
  read: { burst: 100, perSecond: 50 },
  /** Order entry and risk changes. */
  trade: { burst: 50, perSecond: 20 },
  /** Opening a stream. */
  stream: { burst: 10, perSecond: 1 },
  /** API key management. */
  keys: { burst: 20, perSecond: 0.2 },
  /** Register from one address. */
  register: { burst: 5, perSecond: 0.05 },
  /** Login attempts from one address. */
  loginPerAddress: { burst: 20, perSecond: 0.5 },
  /** Refresh and logout from one address. */
  session: { burst: 30, perSecond: 1 },
} as const satisfies Record<string, RateLimit>;

/** Login attempts on one account, from anywhere: 5, then one per 12 s. */
export const LOGIN_PER_ACCOUNT: RateLimit = { burst: 5, perSecond: 1 / 12 };
