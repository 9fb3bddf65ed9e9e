import { fileURLToPath } from 'node:url';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import type {
  Metadata,
  ServerUnaryCall,
  ServerWritableStream,
  ServiceDefinition,
  UntypedServiceImplementation,
  sendUnaryData,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation } from 'grpc-health-check';
import { InternalError, isNinjaError } from '../../domain/errors.ts';
import { newCorrelationId } from '../../observability/index.ts';
import type { Logger } from '../../observability/index.ts';
import { AccountServiceService } from '../../proto/gen/ninja/v1/account.ts';
import { AuthServiceService } from '../../proto/gen/ninja/v1/auth.ts';
import { ClusterServiceService } from '../../proto/gen/ninja/v1/cluster_service.ts';
import { MarketDataServiceService } from '../../proto/gen/ninja/v1/market_data.ts';
import { TradingServiceService } from '../../proto/gen/ninja/v1/trading.ts';
import type { Dispatcher, IncomingCall } from '../api/dispatcher.ts';
import type { GatewayMethod } from '../api/method-definition.ts';
import { UndecodableRequest } from '../api/undecodable-request.ts';
import { sourceAddressOf } from '../auth/source-address.ts';
import { correlationTrailer, serviceErrorOf } from './grpc-status.ts';
import { EncodeOnce } from '../streams/direct-sink.ts';
import type { DirectSink } from '../streams/direct-sink.ts';

/** The abort reason of a call the client cancelled: one shared value (abort() without one builds a DOMException, with its stack, per call). */
const CANCELLED = new Error('the client cancelled the call');

/** The client API services and the .proto files reflection describes. */
const CLIENT_SERVICES: readonly { readonly name: string; readonly definition: ServiceDefinition }[] = [
  { name: 'ninja.v1.AuthService', definition: AuthServiceService },
  { name: 'ninja.v1.TradingService', definition: TradingServiceService },
  { name: 'ninja.v1.MarketDataService', definition: MarketDataServiceService },
  { name: 'ninja.v1.AccountService', definition: AccountServiceService },
  { name: 'ninja.v1.ClusterService', definition: ClusterServiceService },
];
const PROTO_FILES = [
  'ninja/v1/auth.proto',
  'ninja/v1/trading.proto',
  'ninja/v1/market_data.proto',
  'ninja/v1/account.proto',
  'ninja/v1/cluster_service.proto',
];
const PROTO_ROOT = fileURLToPath(new URL('../../proto', import.meta.url));

/** Largest request accepted (bytes); bigger ones get RESOURCE_EXHAUSTED from grpc-js. */
export const MAX_REQUEST_BYTES = 64 * 1024;

export interface GrpcGatewayServer {
  readonly host: string;
  readonly port: number;
  /** Marks every service NOT_SERVING (health), then stops accepting and waits for calls to end. */
  close(): Promise<void>;
}

/**
 * The client gRPC endpoint: AuthService, TradingService, MarketDataService, AccountService,
 * ClusterService (admin scope), plus grpc.health.v1 and server reflection. Credentials travel as `authorization: Bearer <token>` or
 * `x-api-key: <key id>.<secret>` metadata.
 */
export async function startGrpcGatewayServer(options: {
  readonly host: string;
  readonly port: number;
  readonly dispatcher: Dispatcher;
  readonly methods: ReadonlyMap<string, GatewayMethod>;
  readonly logger: Logger;
}): Promise<GrpcGatewayServer> {
  const server = new Server({
    'grpc.max_receive_message_length': MAX_REQUEST_BYTES,
    'grpc.max_concurrent_streams': 128,
  });
  for (const service of CLIENT_SERVICES) {
    const { definition, implementation } = wrapService(service.definition, options);
    server.addService(definition, implementation);
  }
  const health = new HealthImplementation({
    '': 'SERVING',
    ...Object.fromEntries(CLIENT_SERVICES.map((s) => [s.name, 'SERVING' as const])),
  });
  health.addToServer(server);
  const packageDefinition = loadSync(PROTO_FILES, { includeDirs: [PROTO_ROOT] });
  new ReflectionService(packageDefinition).addToServer(server);

  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${options.host}:${options.port}`, ServerCredentials.createInsecure(), (error, bound) =>
      error === null ? resolve(bound) : reject(error),
    );
  });
  options.logger.info({ host: options.host, port }, 'gateway gRPC endpoint listening');
  let closing: Promise<void> | undefined;
  return {
    host: options.host,
    port,
    close: () => {
      closing ??= (async () => {
        health.setStatus('', 'NOT_SERVING');
        for (const service of CLIENT_SERVICES) health.setStatus(service.name, 'NOT_SERVING');
        await new Promise<void>((resolve) => {
          const force = setTimeout(() => server.forceShutdown(), 5_000);
          server.tryShutdown(() => {
            clearTimeout(force);
            resolve();
          });
        });
      })();
      return closing;
    },
  };
}

function wrapService(
  original: ServiceDefinition,
  options: {
    readonly dispatcher: Dispatcher;
    readonly methods: ReadonlyMap<string, GatewayMethod>;
    readonly logger: Logger;
  },
): { definition: ServiceDefinition; implementation: UntypedServiceImplementation } {
  const definition: Record<string, ServiceDefinition[string]> = {};
  const implementation: UntypedServiceImplementation = {};
  for (const [key, method] of Object.entries(original)) {
    const gatewayMethod = options.methods.get(method.path.slice(1));
    if (gatewayMethod === undefined) throw new InternalError(`no gateway method for ${method.path}`);
    // A request that is not valid protobuf reaches the dispatcher (INVALID_ARGUMENT after the auth
    // checks) instead of failing inside grpc-js as INTERNAL.
    // Stream messages fanned out to many clients are one shared object: the stream sink encodes
    // it once (EncodeOnce) and writes the bytes, which the serializer passes through as they are.
    const encoded = new EncodeOnce<Buffer>((value) => method.responseSerialize(value));
    const streaming = gatewayMethod.kind === 'stream';
    definition[key] = {
      ...method,
      responseSerialize: (value: unknown): Buffer =>
        streaming && Buffer.isBuffer(value) ? value : method.responseSerialize(value),
      requestDeserialize: (bytes: Buffer): unknown => {
        try {
          return method.requestDeserialize(bytes) as unknown;
        } catch (error) {
          return new UndecodableRequest((error as Error).message);
        }
      },
    };
    implementation[key] =
      gatewayMethod.kind === 'unary'
        ? unaryHandler(gatewayMethod, options.dispatcher, options.logger)
        : streamHandler(gatewayMethod, options.dispatcher, options.logger, encoded);
  }
  return { definition, implementation };
}

function incomingCall(
  call: ServerUnaryCall<unknown, unknown> | ServerWritableStream<unknown, unknown>,
  signal: AbortSignal,
): IncomingCall {
  const given = header(call.metadata, 'x-correlation-id');
  const correlationId =
    given !== undefined && /^[A-Za-z0-9._:-]{1,128}$/.test(given) ? given : newCorrelationId();
  return {
    transport: 'grpc',
    request: { form: 'message', value: call.request },
    credentials: {
      authorization: header(call.metadata, 'authorization'),
      apiKey: header(call.metadata, 'x-api-key'),
    },
    sourceAddress: sourceAddressOf(call.getPeer()),
    correlationId,
    signal,
  };
}

function header(metadata: Metadata, name: string): string | undefined {
  const [value] = metadata.get(name);
  return typeof value === 'string' ? value : undefined;
}

function unaryHandler(method: GatewayMethod, dispatcher: Dispatcher, logger: Logger) {
  return (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>): void => {
    const abort = new AbortController();
    call.once('cancelled', () => abort.abort(CANCELLED));
    const incoming = incomingCall(call, abort.signal);
    dispatcher.unary(method, incoming).then(
      (response) => callback(null, response, correlationTrailer(incoming.correlationId)),
      (error: unknown) => callback(serviceErrorOf(asNinja(error, logger), incoming.correlationId)),
    );
  };
}

function streamHandler(
  method: GatewayMethod,
  dispatcher: Dispatcher,
  logger: Logger,
  encoded: EncodeOnce<Buffer>,
) {
  return (call: ServerWritableStream<unknown, unknown>): void => {
    const abort = new AbortController();
    call.once('cancelled', () => abort.abort(CANCELLED));
    const incoming = incomingCall(call, abort.signal);
    const sink = grpcStreamSink(call, abort.signal, encoded);
    dispatcher.stream(method, incoming, sink).then(
      () => call.end(correlationTrailer(incoming.correlationId)),
      (error: unknown) => call.emit('error', serviceErrorOf(asNinja(error, logger), incoming.correlationId)),
    );
  };
}

/**
 * The sink of one server stream: messages are encoded once per method (shared fan-out messages
 * are encoded for the first client only) and written as bytes; `write()` answering false is
 * HTTP/2 flow control pushing back, and `drain` says when to go on.
 */
export function grpcStreamSink(
  call: ServerWritableStream<unknown, unknown>,
  signal: AbortSignal,
  encoded: EncodeOnce<Buffer>,
): DirectSink<unknown> {
  // A field read per message (AbortSignal's getter validates its receiver each time).
  let aborted = signal.aborted;
  signal.addEventListener('abort', () => (aborted = true), { once: true });
  const offer = (message: unknown): boolean => aborted || call.write(encoded.of(message));
  return {
    offer,
    onWritable: (resume) => {
      call.once('drain', resume);
    },
    write: (message) =>
      new Promise<void>((resolve) => {
        if (offer(message)) resolve();
        else call.once('drain', () => resolve());
      }),
  };
}

function asNinja(error: unknown, logger: Logger) {
  if (isNinjaError(error)) return error;
  logger.error({ err: error }, 'gateway gRPC handler failed unexpectedly');
  return new InternalError('internal error', { cause: error });
}
