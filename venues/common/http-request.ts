// One REST request of a venue adapter over node:http(s), with a timeout that is cleared when the
// answer is in. Not the global fetch: undici's fetch holds each request's objects (Request,
// AbortController, body streams) through WeakRefs and a FinalizationRegistry, which V8's scavenges
// treat as strong, so every request's ≈ 19 kB survived the young generation and died later in a
// full collection; with a trading node's hundreds of venue requests a minute that was ≈ 10 MB a
// minute promoted only to die, the largest source of old-generation garbage (docs/trading.md, Node
// memory, session 9). `AbortSignal.timeout` had the same effect for its 10 s.
import http from 'node:http';
import https from 'node:https';

export interface HttpRequestInit {
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** A JSON body instead of `body`: serialised, with its Content-Type. Undefined: no body. */
  readonly json?: unknown;
  /** The whole exchange (connect, send, answer read) must end within this, or it is abandoned. */
  readonly timeoutMs: number;
  /** The caller's own cancellation, beside the timeout. */
  readonly signal?: AbortSignal | undefined;
}

/** A complete answer: status, headers and the body read as UTF-8. */
export interface HttpAnswer {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: Headers;
  readonly text: string;
}

export const HttpRequestFailure = {
  /** No answer within `timeoutMs`. */
  TIMEOUT: 'timeout',
  /** The caller's signal aborted it. */
  ABORTED: 'aborted',
  /** Connecting, sending or reading failed (refused, reset, DNS, TLS). */
  NETWORK: 'network',
} as const;
export type HttpRequestFailure = (typeof HttpRequestFailure)[keyof typeof HttpRequestFailure];

/**
 * A request that got no complete answer. Whether a write it carried took effect is unknown: the
 * adapters map it to their unavailable (read) or unknown-outcome (write) error.
 */
export class HttpRequestError extends Error {
  override readonly name = 'HttpRequestError';
  readonly failure: HttpRequestFailure;
  readonly method: string;
  /** Origin and path, without the query (which may carry a signature). */
  readonly target: string;

  constructor(failure: HttpRequestFailure, method: string, target: string, message: string, cause?: unknown) {
    super(`${method} ${target}: ${message}`, cause === undefined ? undefined : { cause });
    this.failure = failure;
    this.method = method;
    this.target = target;
  }
}

// One keep-alive pool per protocol for every venue adapter of the process (fetch kept one too).
// Idle sockets close after 4 s unless the server's Keep-Alive hint says otherwise: under the 5 s
// many servers keep them, so a request is not sent on a socket the server is closing.
const FREE_SOCKET_TIMEOUT_MS = 4_000;
const httpAgent = new http.Agent({ keepAlive: true, timeout: FREE_SOCKET_TIMEOUT_MS });
const httpsAgent = new https.Agent({ keepAlive: true, timeout: FREE_SOCKET_TIMEOUT_MS });

/** What a JSON REST call names: its method, its body (to serialise) and the caller's signal. */
export interface JsonCall {
  readonly method: string;
  readonly body?: unknown;
  readonly signal?: AbortSignal | undefined;
}

/** `httpRequest` of a JSON call (Coinbase, OANDA): the body serialised, with its Content-Type. */
export function httpJsonRequest(
  url: string,
  call: JsonCall,
  headers: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<HttpAnswer> {
  return httpRequest(url, { method: call.method, headers, timeoutMs, json: call.body, signal: call.signal });
}

/** Sends one request and reads its whole answer; rejects with HttpRequestError when there is none. */
export function httpRequest(url: string, init: HttpRequestInit): Promise<HttpAnswer> {
  const parsed = new URL(url);
  const secure = parsed.protocol === 'https:';
  if (!secure && parsed.protocol !== 'http:') {
    return Promise.reject(
      new HttpRequestError(
        HttpRequestFailure.NETWORK,
        init.method,
        url,
        `unsupported protocol ${parsed.protocol}`,
      ),
    );
  }
  const target = `${parsed.origin}${parsed.pathname}`;
  const { signal } = init;
  if (signal?.aborted === true) {
    return Promise.reject(
      new HttpRequestError(
        HttpRequestFailure.ABORTED,
        init.method,
        target,
        'aborted before it was sent',
        signal.reason,
      ),
    );
  }
  return new Promise<HttpAnswer>((resolve, reject) => {
    const headers: Record<string, string> = { ...init.headers };
    const body = init.json === undefined ? init.body : JSON.stringify(init.json);
    if (init.json !== undefined) headers['Content-Type'] = 'application/json';
    if (body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(body));
    const request = (secure ? https : http).request(parsed, {
      method: init.method,
      headers,
      agent: secure ? httpsAgent : httpAgent,
    });
    let settled = false;
    const finish = (outcome: { answer: HttpAnswer } | { error: HttpRequestError }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if ('answer' in outcome) resolve(outcome.answer);
      else {
        request.destroy();
        reject(outcome.error);
      }
    };
    const fail = (failure: HttpRequestFailure, message: string, cause?: unknown): void =>
      finish({ error: new HttpRequestError(failure, init.method, target, message, cause) });
    const timer = setTimeout(
      () => fail(HttpRequestFailure.TIMEOUT, `no answer within ${String(init.timeoutMs)} ms`),
      init.timeoutMs,
    );
    const onAbort = (): void => fail(HttpRequestFailure.ABORTED, 'aborted by the caller', signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    request.on('error', (error) => fail(HttpRequestFailure.NETWORK, 'request failed', error));
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', (error) =>
        fail(HttpRequestFailure.NETWORK, 'the answer could not be read', error),
      );
      response.on('aborted', () => fail(HttpRequestFailure.NETWORK, 'the answer was cut off'));
      response.on('end', () => {
        const status = response.statusCode ?? 0;
        const answerHeaders = new Headers();
        const raw = response.rawHeaders;
        for (let i = 0; i + 1 < raw.length; i += 2)
          answerHeaders.append(raw[i] as string, raw[i + 1] as string);
        finish({
          answer: {
            status,
            ok: status >= 200 && status < 300,
            headers: answerHeaders,
            text: Buffer.concat(chunks).toString('utf8'),
          },
        });
      });
    });
    request.end(body);
  });
}
