import type { z } from 'zod';
import type { RateLimit } from '../../actors/principal/index.ts';
import type { Logger } from '../../observability/index.ts';
import type { Principal } from '../auth/principal.ts';
import type { Scope } from '../auth/roles-and-scopes.ts';

/** What a method handler knows about its call. */
export interface CallContext {
  /** Set for every method but the public ones (Register, Login, Refresh, Logout). */
  readonly principal: Principal | undefined;
  readonly sourceAddress: string | undefined;
  readonly correlationId: string;
  readonly logger: Logger;
  /** Aborted when the client goes away (streams end on it). */
  readonly signal: AbortSignal;
}

/** The principal of a call that required one. */
export function principalOf(ctx: CallContext): Principal {
  if (ctx.principal === undefined) throw new Error('method declared public uses the principal');
  return ctx.principal;
}

/** Who may call a method. */
export type Access =
  /** No credentials; rate-limited per source address. */
  | { readonly type: 'public' }
  /** Any credential whose scopes include `scope`. */
  | { readonly type: 'scope'; readonly scope: Scope };

/** The ts-proto functions of one message that the gateway uses. */
export interface MessageJson<T> {
  fromJSON(object: unknown): T;
  toJSON(message: T): unknown;
}

interface MethodBase<Req, Res> {
  /** e.g. `ninja.v1.AuthService`. */
  readonly service: string;
  /** e.g. `Login`. */
  readonly name: string;
  readonly access: Access;
  /** Per principal (or per source address for public methods) and per method. */
  readonly limit: RateLimit;
  /** True for calls that change orders or risk: audited. */
  readonly ordersAffecting?: boolean;
  readonly request: MessageJson<Req>;
  readonly response: MessageJson<Res>;
  /** Over the JSON form of the request (see validation/field-schemas.ts). */
  readonly schema: z.ZodType;
}

export interface UnaryMethod<Req, Res> extends MethodBase<Req, Res> {
  readonly kind: 'unary';
  handle(ctx: CallContext, request: Req): Promise<Res>;
}

/** Where a server stream writes; `write` resolves when the transport can take more. */
export interface StreamSink<Res> {
  write(message: Res): Promise<void>;
}

export interface StreamMethod<Req, Res> extends MethodBase<Req, Res> {
  readonly kind: 'stream';
  /** Resolves when the stream is complete (or ctx.signal aborts); rejects to end it with an error. */
  handle(ctx: CallContext, request: Req, sink: StreamSink<Res>): Promise<void>;
}

export type GatewayMethod<Req = unknown, Res = unknown> = UnaryMethod<Req, Res> | StreamMethod<Req, Res>;

/** `ninja.v1.AuthService/Login`: the gRPC path without its leading slash; the WebSocket method name. */
export function fullNameOf(method: { readonly service: string; readonly name: string }): string {
  return `${method.service}/${method.name}`;
}

/** Erases the message types so that methods of different shapes share one table. */
export function anyMethod<Req, Res>(method: GatewayMethod<Req, Res>): GatewayMethod {
  return method;
}
