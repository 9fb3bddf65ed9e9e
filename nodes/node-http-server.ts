import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { newCorrelationId, withCorrelation } from '../observability/index.ts';
import type { Logger, MetricsRegistry } from '../observability/index.ts';

export interface ReadinessCheck {
  readonly name: string;
  /** Resolves when the dependency answers; rejects with the reason it does not. */
  readonly check: () => Promise<void>;
}

export interface NodeHttpServerOptions {
  readonly host: string;
  readonly port: number;
  readonly metrics: MetricsRegistry;
  readonly logger: Logger;
  readonly readiness: readonly ReadinessCheck[];
  /** Extra GET routes answering JSON, e.g. the gateway's `/.well-known/jwks.json`. */
  readonly jsonRoutes?: Readonly<Record<string, () => unknown>>;
  /** Takes a connection upgrade (the gateway's WebSocket at /ws); false when the path is not its. */
  readonly upgrade?: (request: IncomingMessage, socket: Duplex, head: Buffer) => boolean;
}

export interface NodeHttpServer {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The node's operational HTTP endpoint: `/metrics` (Prometheus), `/healthz` (the process is up) and
 * `/readyz` (every dependency answers), plus the routes and the upgrade handler it is given (the
 * gateway's JWKS and WebSocket endpoint share this server).
 */
export async function startNodeHttpServer(options: NodeHttpServerOptions): Promise<NodeHttpServer> {
  const requests = options.metrics.counter({
    name: 'ninja_http_requests_total',
    help: 'HTTP requests served by the node endpoint, by route and status',
    labelNames: ['route', 'status'],
  });

  const routes: Record<string, (res: ServerResponse, logger: Logger) => Promise<number>> = {
    '/metrics': async (res) => {
      const { contentType, body } = await options.metrics.expose();
      return send(res, 200, contentType, body);
    },
    '/healthz': (res) => Promise.resolve(sendJson(res, 200, { status: 'ok' })),
    '/readyz': async (res, logger) => {
      const results = await Promise.all(
        options.readiness.map(async ({ name, check }) => {
          try {
            await check();
            return { name, ok: true };
          } catch (error) {
            logger.warn({ err: error, check: name }, 'readiness check failed');
            return { name, ok: false, error: (error as Error).message };
          }
        }),
      );
      const ready = results.every((r) => r.ok);
      return sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks: results });
    },
  };
  for (const [path, body] of Object.entries(options.jsonRoutes ?? {})) {
    routes[path] = (res) => Promise.resolve(sendJson(res, 200, body()));
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://node').pathname;
    const correlationId = correlationIdOf(req);
    const logger = withCorrelation(options.logger, correlationId, { path });
    res.setHeader('x-correlation-id', correlationId);
    const handler = routes[path];
    const route = handler === undefined ? 'unknown' : path;
    let outcome: Promise<number>;
    if (handler === undefined) {
      outcome = Promise.resolve(sendJson(res, 404, { error: 'NOT_FOUND', message: `no route ${path}` }));
    } else if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      outcome = Promise.resolve(
        sendJson(res, 405, { error: 'METHOD_NOT_ALLOWED', message: `${req.method} ${path}` }),
      );
    } else {
      outcome = handler(res, logger);
    }
    outcome.then(
      (status) => requests.inc({ route, status: String(status) }),
      (error: unknown) => {
        logger.error({ err: error }, 'node http handler failed');
        requests.inc({ route, status: '500' });
        if (!res.headersSent) sendJson(res, 500, { error: 'INTERNAL', message: 'internal error' });
        else res.destroy();
      },
    );
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (error) => options.logger.debug({ err: error }, 'upgrade socket error'));
    if (options.upgrade?.(req, socket, head) === true) return;
    requests.inc({ route: 'upgrade', status: '404' });
    socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => options.logger.error({ err: error }, 'node http server error'));
  const address = server.address() as AddressInfo;
  options.logger.info({ host: address.address, port: address.port }, 'node http endpoint listening');

  return {
    host: address.address,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's `x-correlation-id` when it is well formed, else a new one. */
function correlationIdOf(req: IncomingMessage): string {
  const given = req.headers['x-correlation-id'];
  return typeof given === 'string' && CORRELATION_ID.test(given) ? given : newCorrelationId();
}

function send(res: ServerResponse, status: number, contentType: string, body: string): number {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
  return status;
}

function sendJson(res: ServerResponse, status: number, body: unknown): number {
  return send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}
