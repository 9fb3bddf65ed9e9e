import type { Logger, MetricsRegistry } from '../../../observability/index.ts';
import { DEFAULT_COINBASE_CONFIG } from '../config.ts';
import type { CoinbaseConfig } from '../config.ts';
import type { CoinbaseCredentials } from '../common/credentials.ts';
import { restJwt } from '../common/jwt.ts';
import { coinbaseMetrics } from '../common/metrics.ts';
import type { CoinbaseMetrics } from '../common/metrics.ts';
import { MalformedPayloadError } from '../common/parse-error.ts';
import { BROKERAGE_PREFIX, restHost, trimSlash } from '../common/urls.ts';
import { CoinbaseUnavailableError, CoinbaseUnknownOutcomeError, venueError } from './error.ts';
import { RateLimiter } from './rate-limiter.ts';
import { httpJsonRequest } from '../../common/index.ts';
import type { HttpAnswer } from '../../common/index.ts';

export interface RequestSpec {
  readonly method: 'GET' | 'POST';
  /** Path under /api/v3/brokerage, e.g. `/orders`. */
  readonly path: string;
  /** Path template for metrics and logs (no ids), e.g. `/orders/historical/{id}`. */
  readonly route: string;
  readonly query?: ReadonlyArray<readonly [string, string]>;
  readonly body?: unknown;
  /** Whether the request changes venue state (then a 5xx or timeout is an unknown outcome). */
  readonly write: boolean;
  readonly correlationId?: string | undefined;
  readonly signal?: AbortSignal | undefined;
}

export interface CoinbaseRestOptions {
  readonly config: Partial<CoinbaseConfig> & Pick<CoinbaseConfig, 'urls'>;
  readonly credentials: CoinbaseCredentials;
  readonly logger: Logger;
  readonly metrics: MetricsRegistry;
  readonly now?: () => number;
}

/**
 * The transport under every REST call: a fresh JWT per request, x-ratelimit-* accounting and 429
 * pauses, timeouts, and the mapping of answers to typed errors (5xx/timeout on a write: unknown outcome).
 */
export class CoinbaseRestTransport {
  readonly config: CoinbaseConfig;
  readonly rateLimiter: RateLimiter;
  readonly metrics: CoinbaseMetrics;
  readonly #credentials: CoinbaseCredentials;
  readonly #logger: Logger;
  readonly #host: string;
  readonly #now: () => number;

  constructor(options: CoinbaseRestOptions) {
    this.config = { ...DEFAULT_COINBASE_CONFIG, ...options.config };
    this.#credentials = options.credentials;
    this.#logger = options.logger.child({ component: 'coinbase-rest' });
    this.metrics = coinbaseMetrics(options.metrics);
    this.#now = options.now ?? Date.now;
    this.#host = restHost(this.config.urls);
    this.rateLimiter = new RateLimiter(
      {
        maxPauseWaitMs: this.config.maxPauseWaitMs,
        defaultPauseMs: this.config.defaultRateLimitPauseMs,
        now: this.#now,
      },
      this.metrics,
    );
  }

  get credentials(): CoinbaseCredentials {
    return this.#credentials;
  }

  /** Sends one request and returns its decoded JSON body; throws a typed CoinbaseError. */
  async request(spec: RequestSpec): Promise<unknown> {
    try {
      return await this.#send(spec);
    } catch (error) {
      this.metrics.errors.inc({ kind: error instanceof Error ? error.name : 'unknown' });
      this.#logger.warn(
        { correlationId: spec.correlationId, method: spec.method, route: spec.route, err: error },
        'Coinbase request failed',
      );
      throw error;
    }
  }

  async #send(spec: RequestSpec): Promise<unknown> {
    await this.rateLimiter.acquire();
    const path = `${BROKERAGE_PREFIX}${spec.path}`;
    const query =
      spec.query === undefined
        ? ''
        : new URLSearchParams(spec.query.map(([k, v]): [string, string] => [k, v])).toString();
    const url = `${trimSlash(this.config.urls.rest)}${path}${query.length > 0 ? `?${query}` : ''}`;
    const jwt = await restJwt(this.#credentials, spec.method, this.#host, path, { now: this.#now() });
    const headers: Record<string, string> = { Authorization: `Bearer ${jwt}`, Accept: 'application/json' };
    let response: HttpAnswer;
    try {
      response = await httpJsonRequest(url, spec, headers, this.config.requestTimeoutMs);
    } catch (error) {
      this.metrics.requests.inc({ method: spec.method, path: spec.route, status: '0' });
      // A read changes nothing, so a failed read is simply unavailable; a write may have landed.
      const fields = {
        httpStatus: undefined,
        venueCode: undefined,
        venueMessage: describeFetchError(error),
        cause: error,
      };
      throw spec.write ? new CoinbaseUnknownOutcomeError(fields) : new CoinbaseUnavailableError(fields);
    }
    this.metrics.requests.inc({ method: spec.method, path: spec.route, status: String(response.status) });
    this.rateLimiter.observe(response.headers);
    const { text } = response;
    if (response.ok) return decode(text, spec.route);
    const retryAfterMs = retryAfter(response.headers);
    const error = venueError(response.status, errorBody(text), {
      write: spec.write,
      retryAfterMs: response.status === 429 ? this.rateLimiter.pause(retryAfterMs, 429) : undefined,
      details: { route: spec.route, correlationId: spec.correlationId },
    });
    throw error;
  }
}

function decode(text: string, route: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new MalformedPayloadError(route, '$', `invalid JSON: ${text.slice(0, 200)}`, { cause: error });
  }
}

function errorBody(text: string): { error?: string; message?: string } | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // An HTML error page from a proxy, say: the status alone then says what happened.
    return text.length > 0 ? { message: text.slice(0, 200) } : undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const { error, message } = body as { error?: unknown; message?: unknown };
  return {
    ...(typeof error === 'string' ? { error } : {}),
    ...(typeof message === 'string' ? { message } : {}),
  };
}

function retryAfter(headers: Headers): number | undefined {
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : undefined;
}

function describeFetchError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  }
  return String(error);
}
