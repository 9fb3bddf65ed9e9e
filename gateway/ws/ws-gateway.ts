import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import {
  InternalError,
  InvalidArgumentError,
  ResourceExhaustedError,
  isNinjaError,
} from '../../domain/errors.ts';
import type { NinjaError } from '../../domain/errors.ts';
import { newCorrelationId } from '../../observability/index.ts';
import type { Logger } from '../../observability/index.ts';
import type { Dispatcher } from '../api/dispatcher.ts';
import type { GatewayMetrics } from '../api/gateway-metrics.ts';
import type { GatewayMethod } from '../api/method-definition.ts';
import { UnimplementedError } from '../errors.ts';
import { SlowClientError } from '../streams/client-stream.ts';
import { EncodeOnce } from '../streams/direct-sink.ts';
import type { DirectSink } from '../streams/direct-sink.ts';
import { FrameWriter, TextFrame } from './ws-frame.ts';
import type { Authenticator, CallCredentials } from '../auth/authenticator.ts';
import { sourceAddressOf } from '../auth/source-address.ts';
import { errorFrame, parseWsRequest, requestIdOf } from './ws-protocol.ts';
import type { WsRequest } from './ws-protocol.ts';

export const WS_PATH = '/ws';
/** Largest frame accepted; a bigger one closes the connection (1009). */
export const MAX_FRAME_BYTES = 64 * 1024;
const MAX_IN_FLIGHT = 32;
/** Close code of a connection whose market data stream stayed behind (the reason says so). */
export const SLOW_CLIENT_CLOSE_CODE = 4008;
const MAX_STREAMS = 16;

interface Connection {
  credentials: CallCredentials;
  readonly sourceAddress: string | undefined;
  inFlight: number;
  readonly streams: Map<string, AbortController>;
  readonly closed: AbortController;
}

/**
 * The WebSocket endpoint at /ws on the node's HTTP server. A connection is authenticated on
 * connect when the upgrade carries `authorization` or `x-api-key` headers (bad ones: HTTP 401);
 * otherwise it may call the public methods and `authenticate`. Every call is then dispatched like a
 * gRPC call, with its credentials checked again (cheaply, from the caches) so that expiry and
 * revocation apply to open connections too.
 */
export class WsGateway {
  private readonly server = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  private readonly frames = new Map<GatewayMethod, EncodeOnce<StreamFrames>>();

  constructor(
    private readonly deps: {
      readonly dispatcher: Dispatcher;
      readonly methods: ReadonlyMap<string, GatewayMethod>;
      readonly authenticator: Authenticator;
      readonly metrics: GatewayMetrics;
      readonly logger: Logger;
    },
  ) {}

  /** For the HTTP server's `upgrade` event; false when the path is not ours. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    if (new URL(request.url ?? '/', 'http://node').pathname !== WS_PATH) return false;
    const credentials = credentialsOf(request);
    const sourceAddress = sourceAddressOf(request.socket.remoteAddress);
    const accept = () =>
      this.server.handleUpgrade(request, socket, head, (ws) => {
        this.deps.metrics.wsConnections.inc({ outcome: 'accepted' });
        this.serve(ws, credentials, sourceAddress);
      });
    if (!this.deps.authenticator.hasCredentials(credentials)) {
      accept();
      return true;
    }
    this.deps.authenticator.authenticate(credentials, sourceAddress).then(accept, (error: unknown) => {
      this.deps.metrics.wsConnections.inc({ outcome: 'unauthenticated' });
      this.deps.logger.info(
        { source: sourceAddress, reason: (error as Error).message },
        'WebSocket upgrade refused',
      );
      socket.end('HTTP/1.1 401 Unauthorized\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    });
    return true;
  }

  async close(): Promise<void> {
    for (const client of this.server.clients) client.close(1001, 'server shutting down');
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private serve(ws: WebSocket, credentials: CallCredentials, sourceAddress: string | undefined): void {
    const connection: Connection = {
      credentials,
      sourceAddress,
      inFlight: 0,
      streams: new Map(),
      closed: new AbortController(),
    };
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        ws.send(
          errorFrame(
            null,
            new InvalidArgumentError('message', 'must be a JSON text frame'),
            newCorrelationId(),
          ),
        );
        return;
      }
      const text = Buffer.isBuffer(data)
        ? data.toString('utf8')
        : Buffer.concat(data as Buffer[]).toString('utf8');
      this.onMessage(ws, connection, text);
    });
    ws.on('close', () => {
      connection.closed.abort();
      for (const stream of connection.streams.values()) stream.abort();
    });
    ws.on('error', (error) =>
      this.deps.logger.warn({ err: error, source: sourceAddress }, 'WebSocket connection error'),
    );
  }

  private onMessage(ws: WebSocket, connection: Connection, text: string): void {
    const correlationId = newCorrelationId();
    let request: WsRequest;
    try {
      request = parseWsRequest(text);
    } catch (error) {
      ws.send(errorFrame(requestIdOf(text), this.asNinja(error), correlationId));
      return;
    }
    if (connection.inFlight >= MAX_IN_FLIGHT) {
      ws.send(
        errorFrame(
          request.id,
          new ResourceExhaustedError(`at most ${MAX_IN_FLIGHT} calls in flight per connection`),
          correlationId,
        ),
      );
      return;
    }
    connection.inFlight += 1;
    this.handle(ws, connection, request, correlationId)
      .catch((error: unknown) => {
        if (ws.readyState === ws.OPEN) ws.send(errorFrame(request.id, this.asNinja(error), correlationId));
      })
      .finally(() => {
        connection.inFlight -= 1;
      });
  }

  private async handle(
    ws: WebSocket,
    connection: Connection,
    request: WsRequest,
    correlationId: string,
  ): Promise<void> {
    if (request.method === 'authenticate') {
      const params = request.params as Record<string, unknown>;
      const credentials: CallCredentials = {
        authorization: typeof params['authorization'] === 'string' ? params['authorization'] : undefined,
        apiKey: typeof params['apiKey'] === 'string' ? params['apiKey'] : undefined,
      };
      const principal = await this.deps.authenticator.authenticate(credentials, connection.sourceAddress);
      connection.credentials = credentials;
      ws.send(
        JSON.stringify({
          id: request.id,
          result: { userId: principal.userId, scopes: [...principal.scopes] },
        }),
      );
      return;
    }
    if (request.method === 'cancel') {
      const target = (request.params as Record<string, unknown>)['id'];
      const stream = typeof target === 'string' ? connection.streams.get(target) : undefined;
      stream?.abort();
      ws.send(JSON.stringify({ id: request.id, result: { cancelled: stream !== undefined } }));
      return;
    }
    const method = this.deps.methods.get(request.method);
    if (method === undefined)
      throw new UnimplementedError(`unknown method ${JSON.stringify(request.method.slice(0, 128))}`);
    const incoming = {
      transport: 'ws' as const,
      request: { form: 'json' as const, value: request.params },
      credentials: connection.credentials,
      sourceAddress: connection.sourceAddress,
      correlationId,
      signal: connection.closed.signal,
    };
    if (method.kind === 'unary') {
      const response = await this.deps.dispatcher.unary(method, incoming);
      ws.send(JSON.stringify({ id: request.id, result: method.response.toJSON(response) }));
      return;
    }
    if (connection.streams.size >= MAX_STREAMS || connection.streams.has(request.id)) {
      throw new ResourceExhaustedError(`at most ${MAX_STREAMS} streams per connection, each with its own id`);
    }
    const abort = new AbortController();
    connection.closed.signal.addEventListener('abort', () => abort.abort(), { once: true });
    connection.streams.set(request.id, abort);
    const sink = wsStreamSink(ws, request.id, this.framesOf(method), abort.signal);
    try {
      await this.deps.dispatcher.stream(method, { ...incoming, signal: abort.signal }, sink);
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: request.id, end: true }));
    } catch (error) {
      if (error instanceof SlowClientError && ws.readyState === ws.OPEN) {
        // A client this far behind would read an error frame only after its backlog: close now.
        ws.close(SLOW_CLIENT_CLOSE_CODE, closeReason(error.message));
      }
      throw error;
    } finally {
      connection.streams.delete(request.id);
    }
  }

  /** The stream frames of `method`'s messages, each message encoded once (see StreamFrames). */
  private framesOf(method: GatewayMethod): EncodeOnce<StreamFrames> {
    let frames = this.frames.get(method);
    if (frames === undefined) {
      frames = new EncodeOnce((message) => new StreamFrames(JSON.stringify(method.response.toJSON(message))));
      this.frames.set(method, frames);
    }
    return frames;
  }

  private asNinja(error: unknown): NinjaError {
    if (isNinjaError(error)) return error;
    this.deps.logger.error({ err: error }, 'WebSocket call failed unexpectedly');
    return new InternalError('internal error', { cause: error });
  }
}

function credentialsOf(request: IncomingMessage): CallCredentials {
  const authorization = request.headers['authorization'];
  const apiKey = request.headers['x-api-key'];
  return {
    authorization: typeof authorization === 'string' ? authorization : undefined,
    apiKey: typeof apiKey === 'string' ? apiKey : undefined,
  };
}

/** A close reason fits in 123 bytes. */
function closeReason(message: string): string {
  const bytes = Buffer.from(message, 'utf8');
  return bytes.length <= 123
    ? message
    : `${bytes
        .subarray(0, 120)
        .toString('utf8')
        .replace(/\uFFFD$/, '')}...`;
}

/**
 * The stream frames of one message, `{"id":<id>,"stream":<proto3 JSON>}`, per request id: the JSON
 * is serialised once, and each id's complete frame (header and payload, see TextFrame) is built
 * once and written to every socket that streams under that id as the same bytes.
 */
export class StreamFrames {
  private readonly byId = new Map<string, TextFrame>();

  constructor(private readonly json: string) {}

  frame(id: string): TextFrame {
    let frame = this.byId.get(id);
    if (frame === undefined) {
      frame = new TextFrame(`{"id":${JSON.stringify(id)},"stream":${this.json}}`);
      // Clients choose their ids: past this many distinct ones, frames are built per socket.
      if (this.byId.size < MAX_CACHED_IDS) this.byId.set(id, frame);
    }
    return frame;
  }
}

const MAX_CACHED_IDS = 256;

/**
 * A stream waits while this much is queued on the socket, above what the kernel took
 * (backpressure). Small, so that a client that falls behind has its backlog in the stream's
 * bounded queue, where it is replaced by a fresh snapshot, rather than in the socket's buffer, where
 * it would be delivered late (1 MiB was about 5,000 book updates of 200 bytes). A larger frame is
 * still written whole; it only holds back the next one.
 */
const HIGH_WATER_BYTES = 64 * 1024;

/** How often a stream blocked on a full socket looks again (ws has no public drain event). */
const WRITABLE_POLL_MS = 10;

/**
 * The sink of one WebSocket stream: each message's frame is built once for all sockets (above) and
 * written whole (FrameWriter); the socket pushes back while more than HIGH_WATER_BYTES are queued
 * on it.
 */
export function wsStreamSink(
  ws: WebSocket,
  id: string,
  frames: EncodeOnce<StreamFrames>,
  signal: AbortSignal,
): DirectSink<unknown> {
  const writer = new FrameWriter(ws);
  // A field read per message (AbortSignal's getter validates its receiver each time).
  let aborted = signal.aborted;
  signal.addEventListener('abort', () => (aborted = true), { once: true });
  const offer = (message: unknown): boolean => {
    if (aborted) return true;
    writer.send(frames.of(message).frame(id));
    return ws.bufferedAmount <= HIGH_WATER_BYTES;
  };
  const onWritable = (resume: () => void): void => {
    const poll = (): void => {
      if (signal.aborted) return;
      if (ws.bufferedAmount <= HIGH_WATER_BYTES) resume();
      else setTimeout(poll, WRITABLE_POLL_MS);
    };
    setTimeout(poll, WRITABLE_POLL_MS);
  };
  return {
    offer,
    onWritable,
    write: (message) =>
      new Promise<void>((resolve) => {
        if (offer(message)) resolve();
        else onWritable(resolve);
      }),
  };
}
