import { InvalidArgumentError } from '../../../../domain/errors.ts';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../../../observability/index.ts';
import type { FaultInjector } from '../../faults.ts';
import { CONTROL, readRequest, serveControl } from '../../sim-server.ts';
import type { SimRequest, SimResponse } from '../../sim-server.ts';
import { gateRequest } from '../../fault-gate.ts';
import { OandaSimErrors, oandaFaultAnswers } from '../common/errors.ts';
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
    const gate = await gateRequest(faults, request.path, oandaFaultAnswers);
    if (gate.kind === 'answer') {
      reply(res, gate.response);
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
    reply(res, gate.failAfter ?? response);
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
    return serveControl(request, {
      faults,
      logger,
      handlers: {
        'POST drop-streams': () => ({ dropped: hub.dropStreams() }),
        'POST inject-frame': (r) => {
          const { text, stream } = JSON.parse(r.body || '{}') as { text?: unknown; stream?: unknown };
          if (typeof text !== 'string') throw new InvalidArgumentError('text', 'must be a string');
          const kind = stream === 'pricing' || stream === 'transactions' ? stream : undefined;
          return { sent: hub.injectLine(text, kind) };
        },
        ...options.control,
      },
    });
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

function reply(res: ServerResponse, response: SimResponse): void {
  res.writeHead(response.status, {
    'Content-Type': 'application/json',
    RequestID: String(Date.now()),
    ...response.headers,
  });
  res.end(JSON.stringify(response.body));
}
