import {
  InternalError,
  InvalidArgumentError,
  PermissionDeniedError,
  isNinjaError,
} from '../../domain/errors.ts';
import type { NinjaError } from '../../domain/errors.ts';
import type { Logger } from '../../observability/index.ts';
import type { Authenticator, CallCredentials } from '../auth/authenticator.ts';
import type { Principal } from '../auth/principal.ts';
import { validateRequest } from '../validation/validate-request.ts';
import { UndecodableRequest } from './undecodable-request.ts';
import type { GatewayMetrics } from './gateway-metrics.ts';
import { fullNameOf } from './method-definition.ts';
import type { CallContext, GatewayMethod, StreamSink } from './method-definition.ts';
import { addressKey, userKey } from './principal-limiter.ts';
import type { PrincipalLimiter } from './principal-limiter.ts';

export type Transport = 'grpc' | 'ws';

/** One incoming call as a transport hands it over. */
export interface IncomingCall {
  readonly transport: Transport;
  /** The decoded protobuf message (gRPC) or the JSON params (WebSocket). */
  readonly request: { readonly form: 'message' | 'json'; readonly value: unknown };
  readonly credentials: CallCredentials;
  readonly sourceAddress: string | undefined;
  readonly correlationId: string;
  readonly signal: AbortSignal;
}

/**
 * Runs one call through the gateway's checks, in order: authenticate (UNAUTHENTICATED), scope
 * (PERMISSION_DENIED), rate limit (RESOURCE_EXHAUSTED), validate (INVALID_ARGUMENT, nothing
 * changed), then the handler (which checks account ownership). Every error leaves as a NinjaError.
 */
export class Dispatcher {
  constructor(
    private readonly deps: {
      readonly authenticator: Authenticator;
      readonly limiter: PrincipalLimiter;
      readonly metrics: GatewayMetrics;
      readonly logger: Logger;
      readonly addressRateLimitScale: number;
    },
  ) {}

  /** Runs a unary call; resolves to the response message. */
  async unary(method: GatewayMethod, call: IncomingCall): Promise<unknown> {
    if (method.kind !== 'unary') throw new InternalError(`${fullNameOf(method)} is a stream`);
    return this.run(method, call, (ctx, request) => method.handle(ctx, request));
  }

  /** Runs a server-streaming call; resolves when the stream is complete. */
  async stream(method: GatewayMethod, call: IncomingCall, sink: StreamSink<unknown>): Promise<void> {
    if (method.kind !== 'stream') throw new InternalError(`${fullNameOf(method)} is unary`);
    await this.run(method, call, (ctx, request) => method.handle(ctx, request, sink));
  }

  private async run<T>(
    method: GatewayMethod,
    call: IncomingCall,
    body: (ctx: CallContext, request: unknown) => Promise<T>,
  ): Promise<T> {
    const name = fullNameOf(method);
    // The call's child logger is made on first use: most calls never log, and a pino child per call
    // is a measurable part of the gateway's CPU per call.
    let callLogger: Logger | undefined;
    const logger = (): Logger =>
      (callLogger ??= this.deps.logger.child({
        correlationId: call.correlationId,
        method: name,
        transport: call.transport,
      }));
    const stopTimer = this.deps.metrics.latency.startTimer({ method: name, transport: call.transport });
    try {
      const principal = await this.authenticate(method, call);
      const request = this.validate(method, call);
      const ctx: CallContext = {
        principal,
        sourceAddress: call.sourceAddress,
        correlationId: call.correlationId,
        get logger() {
          return logger();
        },
        signal: call.signal,
      };
      const result = await body(ctx, request);
      this.deps.metrics.calls.inc({ method: name, transport: call.transport, code: 'OK' });
      return result;
    } catch (error) {
      const failure = this.toNinjaError(error, logger);
      this.deps.metrics.calls.inc({ method: name, transport: call.transport, code: failure.code });
      if (
        failure.code === 'UNAUTHENTICATED' ||
        failure.code === 'PERMISSION_DENIED' ||
        failure.code === 'RESOURCE_EXHAUSTED'
      ) {
        this.deps.metrics.securityEvents.inc({ event: failure.code.toLowerCase() });
        logger().info(
          { code: failure.code, reason: failure.message, source: call.sourceAddress },
          'call refused',
        );
      }
      throw failure;
    } finally {
      stopTimer();
    }
  }

  /** Authentication, scope and rate limit; the principal (undefined for public methods). */
  private async authenticate(method: GatewayMethod, call: IncomingCall): Promise<Principal | undefined> {
    const { access } = method;
    if (access.type === 'public') {
      const scale = this.deps.addressRateLimitScale;
      const limit = { burst: method.limit.burst * scale, perSecond: method.limit.perSecond * scale };
      await this.deps.limiter.acquire(addressKey(call.sourceAddress), method.name, limit, call.correlationId);
      return undefined;
    }
    const principal = await this.deps.authenticator.authenticate(call.credentials, call.sourceAddress);
    if (!principal.scopes.has(access.scope)) {
      throw new PermissionDeniedError(`${fullNameOf(method)} needs the ${access.scope} scope`);
    }
    await this.deps.limiter.acquire(userKey(principal.userId), method.name, method.limit, call.correlationId);
    return principal;
  }

  private validate(method: GatewayMethod, call: IncomingCall): unknown {
    let json: unknown = call.request.value;
    if (json instanceof UndecodableRequest) {
      throw new InvalidArgumentError('request', `is not a valid protobuf message: ${json.reason}`);
    }
    if (call.request.form === 'message') {
      try {
        json = method.request.toJSON(call.request.value);
      } catch (error) {
        // ts-proto throws RangeError for a Timestamp outside what a Date can hold.
        throw new InvalidArgumentError('request', `has a value out of range: ${(error as Error).message}`);
      }
    }
    return method.request.fromJSON(validateRequest(method.schema, json));
  }

  private toNinjaError(error: unknown, logger: () => Logger): NinjaError {
    if (isNinjaError(error)) return error;
    logger().error({ err: error }, 'gateway call failed unexpectedly');
    return new InternalError('internal error; quote the correlation id to the operator', { cause: error });
  }
}
