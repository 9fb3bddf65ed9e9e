import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { InvalidArgumentError, isNinjaError } from '../../domain/errors.ts';
import type { Logger } from '../../observability/index.ts';
import { gateRequest } from './fault-gate.ts';
import type { FaultAnswers } from './fault-gate.ts';
import { FaultInjector, parseFaultSettings } from './faults.ts';

export interface SimRequest {
  readonly method: string;
  readonly path: string;
  /** The raw query string without `?`, exactly as sent (signatures are over it). */
  readonly rawQuery: string;
  readonly body: string;
  readonly headers: IncomingHttpHeaders;
}

export interface SimResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Serialised as JSON. */
  readonly body: unknown;
}

/** What a venue simulator plugs into the framework. */
export interface SimVenue {
  /** Answers one venue REST request (faults are applied around it by the framework). */
  http(request: SimRequest): Promise<SimResponse> | SimResponse;
  /** Venue control endpoints, keyed `METHOD name`, served at `/__control/<name>`. */
  readonly control: Readonly<Record<string, (request: SimRequest) => unknown>>;
  /** A WebSocket client connected on `path`. */
  wsConnection(socket: WebSocket, path: string, rawQuery: string): void;
  /** The answer to a request that failed unexpectedly (venue's own error body). */
  internalError(error: unknown): SimResponse;
  /** Injected 429/418/5xx answers in the venue's own error shape. */
  readonly faultAnswers: FaultAnswers;
}

export interface SimServerOptions {
  readonly port: number;
  readonly logger: Logger;
  readonly venue: SimVenue;
  readonly faults?: FaultInjector;
  /** Server ping period for WebSocket clients. */
  readonly pingIntervalMs?: number;
}

export interface SimServer {
  readonly port: number;
  readonly httpUrl: string;
  readonly wsUrl: string;
  readonly faults: FaultInjector;
  /** Sends a frame to one client, honouring injected latency and silence. */
  send(socket: WebSocket, text: string, marketData: boolean): void;
  /** Drops every WebSocket connection at once (a fault tests use to check reconnects). */
  dropConnections(): number;
  /** Sends `text` as is to every WebSocket client: malformed or unexpected venue frames on demand. */
  injectFrame(text: string): number;
  close(): Promise<void>;
}

export const CONTROL = '/__control/';
const MAX_BODY = 1 << 20;

/** Starts an HTTP + WebSocket server for one simulated venue on 127.0.0.1 (port 0: any free port). */
export async function startSimServer(options: SimServerOptions): Promise<SimServer> {
  const faults = options.faults ?? new FaultInjector();
  const logger = options.logger;
  const sockets = new Set<WebSocket>();
  const http = createServer((req, res) => {
    void serve(req, res).catch((error: unknown) => {
      logger.error({ err: error, path: req.url }, 'simulator request handler failed');
      if (!res.headersSent) reply(res, options.venue.internalError(error));
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const request = await readRequest(req);
    if (request.path.startsWith(CONTROL)) {
      reply(res, control(request));
      return;
    }
    const gate = await gateRequest(faults, request.path, options.venue.faultAnswers);
    if (gate.kind === 'answer') {
      reply(res, gate.response);
      return;
    }
    const lost = faults.takeLostAck(request.path);
    const response = await options.venue.http(request);
    if (lost !== undefined) {
      logger.info({ path: request.path }, 'fault: request executed, acknowledgement lost');
      req.socket.destroy();
      return;
    }
    if (gate.failAfter !== undefined) {
      logger.info({ path: request.path }, 'fault: request executed, answered with 5xx');
      reply(res, gate.failAfter);
      return;
    }
    reply(res, response);
  }

  function control(request: SimRequest): SimResponse {
    return serveControl(request, {
      faults,
      logger,
      handlers: {
        'POST drop-streams': () => ({ dropped: dropConnections() }),
        'POST inject-frame': (r) => {
          const { text } = JSON.parse(r.body || '{}') as { text?: unknown };
          if (typeof text !== 'string') throw new InvalidArgumentError('text', 'must be a string');
          return { sent: injectFrame(text) };
        },
        ...options.venue.control,
      },
    });
  }

  const wss = new WebSocketServer({ server: http, autoPong: false });
  wss.on('connection', (socket, req) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', (error) => logger.warn({ err: error }, 'simulator socket error'));
    socket.on('ping', (data) => {
      if (!faults.staleHeartbeats) socket.pong(data);
    });
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    options.venue.wsConnection(socket, q < 0 ? url : url.slice(0, q), q < 0 ? '' : url.slice(q + 1));
  });
  const pinger = setInterval(() => {
    if (faults.staleHeartbeats) return;
    for (const socket of sockets) if (socket.readyState === WebSocket.OPEN) socket.ping();
  }, options.pingIntervalMs ?? 20_000);
  pinger.unref();

  function dropConnections(): number {
    const n = sockets.size;
    for (const socket of sockets) socket.terminate();
    sockets.clear();
    return n;
  }

  function injectFrame(text: string): number {
    let sent = 0;
    for (const socket of sockets) {
      if (socket.readyState === WebSocket.OPEN) {
        socket.send(text);
        sent++;
      }
    }
    return sent;
  }

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  return {
    port,
    httpUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    faults,
    send(socket, text, marketData) {
      if (marketData && faults.silentStreams) return;
      const go = (): void => {
        if (socket.readyState === WebSocket.OPEN) socket.send(text);
      };
      if (faults.latencyMs > 0) setTimeout(go, faults.latencyMs);
      else go();
    },
    dropConnections,
    injectFrame,
    async close() {
      clearInterval(pinger);
      dropConnections();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        http.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

export interface ControlContext {
  readonly faults: FaultInjector;
  readonly logger: Logger;
  /** Endpoints besides `faults`, keyed `METHOD name`. */
  readonly handlers: Readonly<Record<string, (request: SimRequest) => unknown>>;
}

/**
 * Serves one `/__control/<name>` request the same way on every simulator: `faults` (POST merges a
 * validated FaultSettings body, DELETE clears), then the named handler; a handler's error is a 400
 * naming the field when it is an InvalidArgumentError, and changes nothing.
 */
export function serveControl(request: SimRequest, context: ControlContext): SimResponse {
  const name = request.path.slice(CONTROL.length);
  try {
    if (name === 'faults') {
      if (request.method === 'POST') context.faults.apply(parseFaultSettings(parseControlBody(request.body)));
      else if (request.method === 'DELETE') context.faults.clear();
      return { status: 200, body: context.faults.describe() };
    }
    const handler = context.handlers[`${request.method} ${name}`];
    if (handler === undefined)
      return { status: 404, body: { error: `no control endpoint ${request.method} ${name}` } };
    return { status: 200, body: handler(request) ?? {} };
  } catch (error) {
    context.logger.warn({ err: error, control: name }, 'control request rejected');
    return {
      status: 400,
      body: {
        error: isNinjaError(error) || error instanceof Error ? error.message : String(error),
        ...(error instanceof InvalidArgumentError ? { field: error.field } : {}),
      },
    };
  }
}

/** Reads a whole request (bodies over 1 MiB are cut) into the simulator's request shape. */
export async function readRequest(req: IncomingMessage): Promise<SimRequest> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) break;
    chunks.push(chunk);
  }
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return {
    method: req.method ?? 'GET',
    path: q < 0 ? url : url.slice(0, q),
    rawQuery: q < 0 ? '' : url.slice(q + 1),
    body: Buffer.concat(chunks).toString('utf8'),
    headers: req.headers,
  };
}

function reply(res: ServerResponse, response: SimResponse): void {
  const text = JSON.stringify(response.body);
  res.writeHead(response.status, { 'Content-Type': 'application/json;charset=UTF-8', ...response.headers });
  res.end(text);
}

/** A control body as JSON; InvalidArgumentError (field `body`) when it is not. */
export function parseControlBody(body: string): unknown {
  try {
    return JSON.parse(body || '{}');
  } catch (error) {
    throw new InvalidArgumentError('body', `is not JSON: ${(error as Error).message}`, { cause: error });
  }
}
