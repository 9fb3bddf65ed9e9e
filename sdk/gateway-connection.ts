import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client, Metadata, credentials as grpcCredentials } from '@grpc/grpc-js';
import type { ChannelCredentials, ClientReadableStream } from '@grpc/grpc-js';
import { InternalError, UnauthenticatedError } from './internal.ts';
import type { Logger } from './internal.ts';
import { CORRELATION_METADATA_KEY, errorFromCall } from './errors.ts';
import { withRetries } from './retry-policy.ts';
import type { Idempotency, RetryOptions } from './retry-policy.ts';
import { resumableStream } from './resumable-stream.ts';
import type { StreamResumeOptions } from './resumable-stream.ts';
import type { SdkMetrics } from './sdk-metrics.ts';
import type { TokenSession } from './token-session.ts';

/** The parts of a generated method definition (e.g. `TradingServiceService.placeOrder`) a call needs. */
export interface MethodDefinition<Req, Res> {
  readonly path: string;
  readonly requestSerialize: (value: Req) => Buffer;
  readonly responseDeserialize: (value: Buffer) => Res;
}

/** TLS settings: PEM files or contents. `true` uses the system's root certificates. */
export interface TlsOptions {
  /** CA certificate(s) the gateway's certificate must chain to (PEM path or contents). */
  readonly ca?: string | Buffer;
  /** Client certificate and key, for a gateway that asks for one. */
  readonly cert?: string | Buffer;
  readonly key?: string | Buffer;
}

export interface CallOptions {
  /** Whether the call carries credentials (everything but Register, Login, Refresh and Logout). */
  readonly authenticated: boolean;
  readonly idempotency: Idempotency;
  readonly signal?: AbortSignal | undefined;
  readonly timeoutMs?: number | undefined;
}

/** How calls are authorised: nothing, an API key, or a user session that refreshes its tokens. */
export type CallAuth =
  | { readonly type: 'none' }
  | { readonly type: 'api-key'; readonly credential: string }
  | { readonly type: 'session'; readonly session: TokenSession };

export interface ConnectionSettings {
  readonly address: string;
  /** Undefined: plaintext on loopback, TLS elsewhere. */
  readonly tls: boolean | TlsOptions | undefined;
  readonly callTimeoutMs: number;
  readonly retry: Required<RetryOptions>;
  readonly streamResume: StreamResumeOptions;
  readonly metrics: SdkMetrics;
  readonly logger: Logger;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]|::1)(:\d+)?$/i;

/** Plaintext on loopback unless TLS is asked for; TLS with the system roots elsewhere unless `tls: false`. */
export function channelCredentialsOf(
  address: string,
  tls: boolean | TlsOptions | undefined,
): ChannelCredentials {
  const useTls = tls === undefined ? !LOOPBACK.test(address) : tls !== false;
  if (!useTls) return grpcCredentials.createInsecure();
  if (tls === true || tls === undefined || tls === false) return grpcCredentials.createSsl();
  return grpcCredentials.createSsl(pem(tls.ca), pem(tls.key), pem(tls.cert));
}

function pem(value: string | Buffer | undefined): Buffer | null {
  if (value === undefined) return null;
  if (Buffer.isBuffer(value)) return value;
  return value.includes('-----BEGIN') ? Buffer.from(value) : readFileSync(value);
}

/**
 * One gRPC channel to the gateway and the policies around every call on it: credentials as
 * metadata, a deadline, retries by idempotency, one token refresh after UNAUTHENTICATED, typed errors.
 */
export class GatewayConnection {
  private readonly client: Client;
  private auth: CallAuth = { type: 'none' };

  constructor(readonly settings: ConnectionSettings) {
    this.client = new Client(settings.address, channelCredentialsOf(settings.address, settings.tls));
  }

  get address(): string {
    return this.settings.address;
  }

  get callAuth(): CallAuth {
    return this.auth;
  }

  authorise(auth: CallAuth): void {
    this.auth = auth;
  }

  async unary<Req, Res>(
    method: MethodDefinition<Req, Res>,
    request: Req,
    options: CallOptions,
  ): Promise<Res> {
    const name = method.path.slice(1);
    const { metrics } = this.settings;
    // One id for the call and its retries, so the gateway's logs tie them together.
    const correlationId = randomUUID();
    try {
      const response = await withRetries(
        () => this.attemptWithAuth(method, request, options, correlationId),
        options.idempotency,
        this.settings.retry,
        (error, attempt) => {
          metrics.retries.inc({ method: name, code: error.code });
          this.settings.logger.debug(
            { method: name, attempt, code: error.code, err: error.message },
            'retrying call',
          );
        },
        options.signal,
      );
      metrics.calls.inc({ method: name, code: 'OK' });
      return response;
    } catch (error) {
      const failure = errorFromCall(error, { method: name, address: this.address });
      metrics.calls.inc({ method: name, code: failure.code });
      throw failure;
    }
  }

  /** A resuming server stream (see resumable-stream.ts), each message passed through `map`. */
  stream<Req, Res, T>(
    method: MethodDefinition<Req, Res>,
    request: Req,
    map: (message: Res) => T,
    signal?: AbortSignal,
  ): AsyncGenerator<T, void, undefined> {
    const name = method.path.slice(1);
    const { metrics, logger } = this.settings;
    return resumableStream(
      {
        open: async () => {
          const { metadata, token } = await this.credentials(true, randomUUID());
          const call: ClientReadableStream<unknown> = this.client.makeServerStreamRequest(
            method.path,
            method.requestSerialize,
            method.responseDeserialize,
            request,
            metadata,
            {},
          );
          call.on('error', (error: Error) =>
            logger.debug({ method: name, err: error.message }, 'stream ended with an error'),
          );
          metrics.streamsOpened.inc({ method: name });
          return { call, token };
        },
        toError: (error) => errorFromCall(error, { method: name, address: this.address }),
        afterRejected: (token) => this.afterRejected(token),
        onReconnected: () => metrics.streamReconnects.inc({ method: name }),
        signal,
      },
      (message) => map(message as Res),
      this.settings.streamResume,
    );
  }

  close(): void {
    this.client.close();
  }

  private async attemptWithAuth<Req, Res>(
    method: MethodDefinition<Req, Res>,
    request: Req,
    options: CallOptions,
    correlationId: string,
  ): Promise<Res> {
    const name = method.path.slice(1);
    const first = await this.credentials(options.authenticated, correlationId);
    try {
      return await this.once(method, request, first.metadata, options);
    } catch (raw) {
      const error = errorFromCall(raw, { method: name, address: this.address });
      // The gateway authenticates before anything else, so a refused call changed nothing: safe to repeat.
      if (
        error.code !== 'UNAUTHENTICATED' ||
        !options.authenticated ||
        !(await this.afterRejected(first.token))
      ) {
        throw error;
      }
      const second = await this.credentials(true, correlationId);
      return this.once(method, request, second.metadata, options);
    }
  }

  private once<Req, Res>(
    method: MethodDefinition<Req, Res>,
    request: Req,
    metadata: Metadata,
    options: CallOptions,
  ): Promise<Res> {
    const deadline = new Date(Date.now() + (options.timeoutMs ?? this.settings.callTimeoutMs));
    return new Promise<Res>((resolve, reject) => {
      const call = this.client.makeUnaryRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        request,
        metadata,
        { deadline },
        (error, response) => {
          options.signal?.removeEventListener('abort', cancel);
          if (error !== null)
            reject(errorFromCall(error, { method: method.path.slice(1), address: this.address }));
          else if (response === undefined)
            reject(new InternalError(`${method.path} answered without a message`));
          else resolve(response);
        },
      );
      const cancel = (): void => call.cancel();
      options.signal?.addEventListener('abort', cancel, { once: true });
    });
  }

  private async credentials(
    authenticated: boolean,
    correlationId: string,
  ): Promise<{ metadata: Metadata; token: string | undefined }> {
    const metadata = new Metadata();
    metadata.set(CORRELATION_METADATA_KEY, correlationId);
    if (!authenticated) return { metadata, token: undefined };
    const auth = this.auth;
    switch (auth.type) {
      case 'none':
        throw new UnauthenticatedError(
          'no credentials: log in (NinjaClient.login) or pass an API key (apiKey option) before calling this method',
        );
      case 'api-key':
        metadata.set('x-api-key', auth.credential);
        return { metadata, token: undefined };
      case 'session': {
        const token = await auth.session.accessToken();
        metadata.set('authorization', `Bearer ${token}`);
        return { metadata, token };
      }
    }
  }

  /** After UNAUTHENTICATED with `token`: refresh the session; true when trying again may help. */
  private async afterRejected(token: string | undefined): Promise<boolean> {
    const auth = this.auth;
    if (auth.type !== 'session' || token === undefined) return false;
    await auth.session.afterRejected(token);
    return true;
  }
}
