import type { Logger } from '../../../observability/index.ts';
import type { MetricsRegistry } from '../../../observability/index.ts';
import { DEFAULT_BINANCE_US_CONFIG } from '../config.ts';
import type { BinanceUsConfig } from '../config.ts';
import type { BinanceUsCredentials } from '../common/credentials.ts';
import { binanceUsMetrics } from '../common/metrics.ts';
import type { BinanceUsMetrics } from '../common/metrics.ts';
import { MalformedPayloadError } from '../common/parse-error.ts';
import { ServerClock } from '../common/server-clock.ts';
import { encodeParams, signRequest } from '../common/signing.ts';
import type { RequestParams } from '../common/signing.ts';
import { trimSlash } from '../common/urls.ts';
import { httpRequest } from '../../common/index.ts';
import type { HttpAnswer } from '../../common/index.ts';
import {
  BinanceUsTimestampError,
  BinanceUsUnavailableError,
  BinanceUsUnknownOutcomeError,
  venueError,
} from './error.ts';
import { RateLimiter } from './rate-limiter.ts';

export const Security = { NONE: 'NONE', API_KEY: 'API_KEY', SIGNED: 'SIGNED' } as const;
export type Security = (typeof Security)[keyof typeof Security];

export interface RequestSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly params?: RequestParams;
  readonly security: Security;
  readonly weight: number;
  readonly correlationId?: string;
}

export interface BinanceUsRestOptions {
  readonly config: Partial<BinanceUsConfig> & Pick<BinanceUsConfig, 'urls'>;
  readonly credentials?: BinanceUsCredentials;
  readonly logger: Logger;
  readonly metrics: MetricsRegistry;
  readonly now?: () => number;
}

/**
 * The transport under every REST call: signing with the tracked server-time offset, rate-limit
 * accounting and pauses, error mapping, and the one -1021 resync-and-retry. It keeps no circuit of
 * its own: the `venue/binanceus` actor's circuit (actors/venue/venue-circuit.ts) is the only one on
 * this path, so one outage is counted once and the circuit state has one owner.
 */
export class BinanceUsRestTransport {
  readonly config: BinanceUsConfig;
  readonly clock: ServerClock;
  readonly rateLimiter: RateLimiter;
  readonly metrics: BinanceUsMetrics;
  readonly #credentials: BinanceUsCredentials | undefined;
  readonly #logger: Logger;

  constructor(options: BinanceUsRestOptions) {
    this.config = { ...DEFAULT_BINANCE_US_CONFIG, ...options.config };
    this.#credentials = options.credentials;
    this.#logger = options.logger.child({ component: 'binanceus-rest' });
    this.metrics = binanceUsMetrics(options.metrics);
    this.clock = new ServerClock(options.now);
    const now = options.now ?? Date.now;
    this.rateLimiter = new RateLimiter(
      { weightPerMinute: this.config.weightPerMinute, maxPauseWaitMs: this.config.maxPauseWaitMs, now },
      this.metrics,
    );
  }

  /** Sends one request and returns its decoded JSON body; throws a typed BinanceUsError. */
  async request(spec: RequestSpec): Promise<unknown> {
    try {
      return await this.#send(spec);
    } catch (error) {
      if (!(error instanceof BinanceUsTimestampError)) throw this.#counted(error, spec);
      this.#logger.warn(
        { correlationId: spec.correlationId, path: spec.path, venueCode: error.venueCode },
        'timestamp outside recvWindow (-1021): resyncing server time and retrying once',
      );
      await this.syncTime();
      try {
        return await this.#send(spec);
      } catch (retryError) {
        throw this.#counted(retryError, spec);
      }
    }
  }

  /** Re-measures the offset between our clock and the venue's. */
  async syncTime(): Promise<number> {
    return this.clock.sync(async () => {
      const body = (await this.#send({
        method: 'GET',
        path: '/api/v3/time',
        security: 'NONE',
        weight: 1,
      })) as {
        serverTime?: unknown;
      };
      if (typeof body.serverTime !== 'number') {
        throw new MalformedPayloadError('time', 'serverTime', 'expected a number');
      }
      return body.serverTime;
    });
  }

  #counted(error: unknown, spec: RequestSpec): unknown {
    const kind = error instanceof Error ? error.name : 'unknown';
    this.metrics.errors.inc({ kind });
    this.#logger.warn(
      { correlationId: spec.correlationId, method: spec.method, path: spec.path, err: error },
      'Binance.US request failed',
    );
    return error;
  }

  async #send(spec: RequestSpec): Promise<unknown> {
    await this.rateLimiter.acquire(spec.weight);
    const { url, init } = this.#build(spec);
    let response: HttpAnswer;
    try {
      response = await httpRequest(url, { ...init, timeoutMs: this.config.requestTimeoutMs });
    } catch (error) {
      this.metrics.requests.inc({ method: spec.method, path: spec.path, status: '0' });
      // Reads change nothing, so a failed read is simply unavailable; a write may have landed.
      const fields = { httpStatus: undefined, venueCode: undefined, venueMessage: describeFetchError(error) };
      throw spec.method === 'GET'
        ? new BinanceUsUnavailableError({ ...fields, cause: error })
        : new BinanceUsUnknownOutcomeError({ ...fields, cause: error });
    }
    this.metrics.requests.inc({ method: spec.method, path: spec.path, status: String(response.status) });
    this.rateLimiter.observe(response.headers);
    const { text } = response;
    if (response.ok) return decode(text, spec.path);
    const retryAfterMs = retryAfter(response.headers);
    if ((response.status === 429 || response.status === 418) && retryAfterMs !== undefined) {
      this.rateLimiter.pause(retryAfterMs, response.status);
    }
    throw venueError(response.status, errorBody(text), {
      retryAfterMs,
      details: { path: spec.path, correlationId: spec.correlationId },
    });
  }

  #build(spec: RequestSpec): {
    url: string;
    init: { method: string; headers: Record<string, string>; body?: string };
  } {
    const headers: Record<string, string> = {};
    const params = spec.params ?? [];
    const inBody = spec.method === 'POST' || spec.method === 'PUT';
    let query: string;
    let body = '';
    if (spec.security === Security.NONE) {
      query = encodeParams(params);
    } else {
      if (this.#credentials === undefined) {
        throw new BinanceUsUnavailableError({
          httpStatus: undefined,
          venueCode: undefined,
          venueMessage: `${spec.path} needs an API key and none is configured`,
        });
      }
      headers['X-MBX-APIKEY'] = this.#credentials.apiKey;
      if (spec.security === Security.SIGNED) {
        ({ query, body } = signRequest(this.#credentials, params, {
          inBody,
          timestamp: this.clock.now(),
          recvWindow: this.config.recvWindowMs,
        }));
      } else if (inBody) {
        query = '';
        body = encodeParams(params);
      } else {
        query = encodeParams(params);
      }
    }
    if (body.length > 0) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const url = `${trimSlash(this.config.urls.rest)}${spec.path}${query.length > 0 ? `?${query}` : ''}`;
    return { url, init: { method: spec.method, headers, ...(body.length > 0 ? { body } : {}) } };
  }
}

function decode(text: string, path: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new MalformedPayloadError(path, '$', `invalid JSON: ${text.slice(0, 200)}`, { cause: error });
  }
}

function errorBody(text: string): { code?: number; msg?: string } | undefined {
  try {
    const body = JSON.parse(text) as unknown;
    if (typeof body !== 'object' || body === null) return undefined;
    const { code, msg } = body as { code?: unknown; msg?: unknown };
    return {
      ...(typeof code === 'number' ? { code } : {}),
      ...(typeof msg === 'string' ? { msg } : {}),
    };
  } catch {
    // An HTML error page from a proxy, say: the status alone then says what happened.
    return text.length > 0 ? { msg: text.slice(0, 200) } : undefined;
  }
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
