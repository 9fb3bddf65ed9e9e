import type { Logger, MetricsRegistry } from '../../../observability/index.ts';
import { DEFAULT_OANDA_CONFIG } from '../config.ts';
import type { OandaConfig } from '../config.ts';
import type { OandaCredentials } from '../common/credentials.ts';
import { oandaMetrics } from '../common/metrics.ts';
import type { OandaMetrics } from '../common/metrics.ts';
import { MalformedPayloadError } from '../common/parse-error.ts';
import { trimSlash } from '../common/urls.ts';
import { OandaRateLimitError, OandaUnavailableError, OandaUnknownOutcomeError, oandaError } from './error.ts';
import { TokenBucket } from './rate-limiter.ts';
import { httpJsonRequest } from '../../common/index.ts';
import type { HttpAnswer } from '../../common/index.ts';

export interface OandaRequest {
  readonly method: 'GET' | 'POST' | 'PUT';
  /** Path under the REST host, starting with /v3. */
  readonly path: string;
  /** Metric label: the route without ids, e.g. `/orders/{specifier}`. */
  readonly route: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly correlationId?: string;
  readonly signal?: AbortSignal;
}

export interface OandaRestOptions {
  readonly config: Partial<OandaConfig> & Pick<OandaConfig, 'urls'>;
  readonly credentials: OandaCredentials;
  readonly logger: Logger;
  readonly metrics: MetricsRegistry;
}

/**
 * The transport under every REST call: bearer auth and RFC3339 times, the client-side 120/s budget,
 * 429 handling (wait Retry-After, retry a bounded number of times: a 429 was not executed), the
 * request timeout, and error mapping (a write without an answer is an unknown outcome).
 */
export class OandaRestTransport {
  readonly config: OandaConfig;
  readonly metrics: OandaMetrics;
  readonly limiter: TokenBucket;
  readonly credentials: OandaCredentials;
  readonly #logger: Logger;

  constructor(options: OandaRestOptions) {
    this.config = { ...DEFAULT_OANDA_CONFIG, ...options.config };
    this.credentials = options.credentials;
    this.metrics = oandaMetrics(options.metrics);
    this.limiter = new TokenBucket(this.config.requestsPerSecond);
    this.#logger = options.logger.child({ component: 'oanda-rest' });
  }

  /** The account path prefix, `/v3/accounts/<id>`. */
  get accountPath(): string {
    return `/v3/accounts/${this.credentials.accountId}`;
  }

  /** Sends one request; returns the decoded 2xx body or throws a typed OandaError. */
  async request(spec: OandaRequest): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#send(spec);
      } catch (error) {
        if (error instanceof OandaRateLimitError && attempt < this.config.maxRateLimitRetries) {
          this.#logger.warn(
            {
              correlationId: spec.correlationId,
              route: spec.route,
              retryAfterMs: error.retryAfterMs,
              attempt,
            },
            'OANDA answered 429: waiting, then retrying (a 429 was not executed)',
          );
          continue; // the limiter holds every request until the pause has passed
        }
        this.metrics.errors.inc({ kind: error instanceof Error ? error.name : 'unknown' });
        this.#logger.warn(
          { correlationId: spec.correlationId, method: spec.method, route: spec.route, err: error },
          'OANDA request failed',
        );
        throw error;
      }
    }
  }

  async #send(spec: OandaRequest): Promise<unknown> {
    const waited = await this.limiter.acquire();
    if (waited > 0) this.metrics.rateLimited.inc({ source: 'client' });
    const write = spec.method !== 'GET';
    const query = spec.query === undefined ? '' : new URLSearchParams(spec.query).toString();
    const url = `${trimSlash(this.config.urls.rest)}${spec.path}${query.length > 0 ? `?${query}` : ''}`;
    const headers: Record<string, string> = {
      Authorization: this.credentials.authorization(),
      'Accept-Datetime-Format': 'RFC3339',
    };
    let response: HttpAnswer;
    try {
      response = await httpJsonRequest(url, spec, headers, this.config.requestTimeoutMs);
    } catch (error) {
      this.metrics.requests.inc({ method: spec.method, path: spec.route, status: '0' });
      const fields = {
        httpStatus: undefined,
        errorCode: undefined,
        errorMessage: describe(error),
        cause: error,
      };
      throw write ? new OandaUnknownOutcomeError(fields) : new OandaUnavailableError(fields);
    }
    this.metrics.requests.inc({ method: spec.method, path: spec.route, status: String(response.status) });
    const { text } = response;
    if (response.ok) return decode(text, spec.route);
    const body = errorBody(text);
    if (response.status === 429) {
      const retryAfterMs = retryAfter(response.headers) ?? this.config.rateLimitBackoffMs;
      this.limiter.pause(retryAfterMs);
      this.metrics.rateLimited.inc({ source: 'venue' });
      throw new OandaRateLimitError({
        httpStatus: 429,
        errorCode: body.errorCode,
        errorMessage: body.errorMessage ?? 'Too many requests',
        retryAfterMs,
      });
    }
    throw oandaError(response.status, body, write, {
      details: { route: spec.route, correlationId: spec.correlationId },
    });
  }
}

function decode(text: string, route: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new MalformedPayloadError(route, '$', `invalid JSON: ${text.slice(0, 200)}`, { cause: error });
  }
}

function errorBody(text: string): { errorCode?: string; errorMessage?: string; raw?: unknown } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // A proxy's HTML page, say: the status alone then says what happened; keep the text for the log.
    return text.length > 0 ? { errorMessage: text.slice(0, 200) } : {};
  }
  if (typeof raw !== 'object' || raw === null) return { raw };
  const { errorCode, errorMessage } = raw as { errorCode?: unknown; errorMessage?: unknown };
  return {
    raw,
    ...(typeof errorCode === 'string' ? { errorCode } : {}),
    ...(typeof errorMessage === 'string' ? { errorMessage } : {}),
  };
}

function retryAfter(headers: Headers): number | undefined {
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : undefined;
}

export function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  }
  return String(error);
}
