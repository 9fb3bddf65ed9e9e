import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { startNodeHttpServer } from '../../../nodes/node-http-server.ts';
import type { NodeHttpServer } from '../../../nodes/node-http-server.ts';
import { createLogger, MetricsRegistry } from '../../../observability/index.ts';

const logger = createLogger({
  level: 'silent',
  destination: new Writable({ write: (_chunk, _encoding, callback) => callback() }),
});
const servers: NodeHttpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(readyError?: Error): Promise<{ base: string; metrics: MetricsRegistry }> {
  const metrics = new MetricsRegistry();
  const server = await startNodeHttpServer({
    host: '127.0.0.1',
    port: 0,
    metrics,
    logger,
    readiness: [
      {
        name: 'database',
        check: () => (readyError === undefined ? Promise.resolve() : Promise.reject(readyError)),
      },
    ],
  });
  servers.push(server);
  return { base: `http://127.0.0.1:${server.port}`, metrics };
}

describe('node http endpoint', () => {
  it('serves Prometheus metrics, counting its own requests', async () => {
    const { base } = await start();
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(await response.text()).toContain('ninja_http_requests_total{route="/healthz",status="200"} 1');
  });

  it('is ready only when every dependency answers, and says which does not', async () => {
    const ready = await start();
    expect(await (await fetch(`${ready.base}/readyz`)).json()).toEqual({
      status: 'ready',
      checks: [{ name: 'database', ok: true }],
    });
    const notReady = await start(new Error('connection refused'));
    const response = await fetch(`${notReady.base}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: 'not ready',
      checks: [{ name: 'database', ok: false, error: 'connection refused' }],
    });
  });

  it('answers unknown routes with 404 and other methods with 405', async () => {
    const { base } = await start();
    const missing = await fetch(`${base}/nope`, { headers: { 'x-correlation-id': 'req-42' } });
    expect(missing.headers.get('x-correlation-id')).toBe('req-42');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'NOT_FOUND' });
    const post = await fetch(`${base}/metrics`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});
