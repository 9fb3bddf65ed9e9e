import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../../../observability/index.ts';
import type { FaultInjector, FaultSettings } from '../../faults.ts';
import type { SimRequest, SimResponse } from '../../sim-server.ts';
import { OandaSimErrors } from '../common/errors.ts';
import type { OandaSimStreamHub, StreamKind } from '../streaming/stream-hub.ts';
import type { OandaSimRouter } from './routes.ts';

export interface OandaSimServerOptions {
  readonly port: number;
  readonly logger: Logger;
  readonly faults: FaultInjector;
  readonly router: OandaSimRouter;
  readonly hub: OandaSimStreamHub;
  /** Venue control endpoints, keyed `METHOD name`, served at `/__control/<name>`. */
  readonly control: Readonly<Record<string, (request: SimRequest) => unknown>>;
}

export interface OandaSimServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

const CONTROL = '/__control/';
const MAX_BODY = 1 << 20;
const STREAM = /\/(pricing|transactions)\/stream$/;

/**
 * One loopback HTTP server for the REST and the streaming host (OANDA uses two hosts; a client
 * points both URLs here). The fault control API matches sim-server.ts (`/__control/faults`,
 * `drop-streams`, `inject-frame`), with OANDA-shaped error bodies; sim-server itself cannot serve
 * chunked HTTP streams, hence this server.
 */
export async function startOandaSimServer(options: OandaSimServerOptions): Promise<OandaSimServer> {
  const { logger, faults, router, hub } = options;
  const http = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      logger.error({ err: error, path: req.url }, 'OANDA simulator request handler failed');
      if (!res.headersSent) reply(res, OandaSimErrors.internal());
      else res.destroy();
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const request = await readRequest(req);
    if (request.path.startsWith(CONTROL)) {
      reply(res, control(request));
      return;
    }
    if (faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
    const limited = faults.takeRateLimit(request.path);
    if (limited !== undefined) {
      const response = OandaSimErrors.rateLimited();
      reply(res, { ...response, headers: { 'Retry-After': String(limited.retryAfterSeconds) } });
      return;
    }
    const failure = faults.takeServerError(request.path);
    if (failure !== undefined && failure.executed !== true) {
      reply(res, OandaSimErrors.unavailable(failure.status));
      return;
    }
    const stream = STREAM.exec(request.path);
    if (stream !== null && request.method === 'GET') {
      openStream(request, res, stream[1] as StreamKind);
      return;
    }
    const lost = faults.takeLostAck(request.path);
    const response = router.handle(request);
    if (lost !== undefined) {
      logger.info({ path: request.path }, 'fault: request executed, acknowledgement lost');
      req.socket.destroy();
      return;
    }
    reply(res, failure !== undefined ? OandaSimErrors.unavailable(failure.status) : response);
  }

  function openStream(request: SimRequest, res: ServerResponse, kind: StreamKind): void {
    const rest = router.accountPath(request);
    if (typeof rest !== 'string') {
      reply(res, rest);
      return;
    }
    const query = new URLSearchParams(request.rawQuery);
    const instruments = (query.get('instruments') ?? '').split(',').filter((n) => n.length > 0);
    if (kind === 'pricing' && instruments.length === 0) {
      reply(res, OandaSimErrors.badRequest("Invalid value specified for 'instruments'"));
      return;
    }
    hub.open(kind, res, instruments, query.get('snapshot') !== 'false');
  }

  function control(request: SimRequest): SimResponse {
    const name = request.path.slice(CONTROL.length);
    try {
      if (name === 'faults') {
        if (request.method === 'POST') faults.apply(JSON.parse(request.body || '{}') as FaultSettings);
        else if (request.method === 'DELETE') faults.clear();
        return { status: 200, body: faults.describe() };
      }
      if (name === 'drop-streams' && request.method === 'POST') {
        return { status: 200, body: { dropped: hub.dropStreams() } };
      }
      if (name === 'inject-frame' && request.method === 'POST') {
        const { text, stream } = JSON.parse(request.body || '{}') as { text?: unknown; stream?: unknown };
        if (typeof text !== 'string') throw new Error('text must be a string');
        const kind = stream === 'pricing' || stream === 'transactions' ? stream : undefined;
        return { status: 200, body: { sent: hub.injectLine(text, kind) } };
      }
      const handler = options.control[`${request.method} ${name}`];
      if (handler === undefined)
        return { status: 404, body: { error: `no control endpoint ${request.method} ${name}` } };
      return { status: 200, body: handler(request) ?? {} };
    } catch (error) {
      logger.warn({ err: error, control: name }, 'control request rejected');
      return { status: 400, body: { error: error instanceof Error ? error.message : String(error) } };
    }
  }

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    async close() {
      hub.close();
      http.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        http.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

async function readRequest(req: IncomingMessage): Promise<SimRequest> {
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
  res.writeHead(response.status, {
    'Content-Type': 'application/json',
    RequestID: String(Date.now()),
    ...response.headers,
  });
  res.end(JSON.stringify(response.body));
}
