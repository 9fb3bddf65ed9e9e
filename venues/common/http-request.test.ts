import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpRequestError, HttpRequestFailure, httpJsonRequest, httpRequest } from './http-request.ts';

let server: Server;
let base: string;
const received: { method: string; body: string; contentType: string | undefined }[] = [];

function handle(request: IncomingMessage, response: ServerResponse): void {
  let body = '';
  request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
  request.on('end', () => {
    received.push({ method: request.method ?? '', body, contentType: request.headers['content-type'] });
    if (request.url === '/never') return; // no answer: the client's timeout or abort ends it
    response.setHeader('X-Weight', '7');
    response.statusCode = request.url === '/missing' ? 404 : 200;
    response.end(JSON.stringify({ orderId: 12, status: 'NEW', note: 'x'.repeat(300) }));
  });
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
});

describe('httpRequest', () => {
  it('sends the body and reads the whole answer, its status and headers', async () => {
    const answer = await httpRequest(`${base}/api/v3/order?symbol=BTCUSD`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'side=BUY&price=1.5',
      timeoutMs: 2_000,
    });
    expect(answer.status).toBe(200);
    expect(answer.ok).toBe(true);
    expect(answer.headers.get('x-weight')).toBe('7');
    expect(JSON.parse(answer.text)).toMatchObject({ orderId: 12, status: 'NEW' });
    expect(received.at(-1)).toEqual({
      method: 'POST',
      body: 'side=BUY&price=1.5',
      contentType: 'application/x-www-form-urlencoded',
    });
  });

  it('serialises a JSON body and names its type', async () => {
    await httpJsonRequest(`${base}/orders`, { method: 'POST', body: { size: '0.5' } }, {}, 2_000);
    expect(received.at(-1)).toEqual({
      method: 'POST',
      body: '{"size":"0.5"}',
      contentType: 'application/json',
    });
  });

  it('answers a non-2xx status as an answer, not an error', async () => {
    const answer = await httpRequest(`${base}/missing`, { method: 'GET', headers: {}, timeoutMs: 2_000 });
    expect(answer.status).toBe(404);
    expect(answer.ok).toBe(false);
  });

  it('gives up after the timeout', async () => {
    const error = await httpRequest(`${base}/never`, { method: 'GET', headers: {}, timeoutMs: 100 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HttpRequestError);
    expect((error as HttpRequestError).failure).toBe(HttpRequestFailure.TIMEOUT);
    expect((error as HttpRequestError).message).toBe(`GET ${base}/never: no answer within 100 ms`);
  });

  it("stops when the caller's signal aborts", async () => {
    const controller = new AbortController();
    const pending = httpRequest(`${base}/never`, {
      method: 'GET',
      headers: {},
      timeoutMs: 5_000,
      signal: controller.signal,
    }).catch((e: unknown) => e);
    setTimeout(() => controller.abort(new Error('stopping')), 50);
    const error = await pending;
    expect((error as HttpRequestError).failure).toBe(HttpRequestFailure.ABORTED);
    expect(((error as HttpRequestError).cause as Error).message).toBe('stopping');
  });

  it('reports a refused connection as a network failure, with the cause', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await httpRequest(`http://127.0.0.1:${String(port)}/x?signature=secret`, {
      method: 'POST',
      headers: {},
      body: 'a=1',
      timeoutMs: 2_000,
    }).catch((e: unknown) => e);
    expect((error as HttpRequestError).failure).toBe(HttpRequestFailure.NETWORK);
    expect((error as HttpRequestError).message).toBe(
      `POST http://127.0.0.1:${String(port)}/x: request failed`,
    );
    expect(((error as HttpRequestError).cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });

  // The reason this exists (docs/trading.md, Node memory, session 9): a request's objects must die
  // young. Global fetch promoted ≈ 19 kB per request into the old generation (its WeakRefs and
  // FinalizationRegistry entries survive every scavenge), garbage only a full collection frees.
  it('leaves nothing of a finished request for the old generation', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as (options: { type: 'minor' }) => void;
    const oldSpaceUsed = (): number =>
      getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')?.space_used_size ?? Number.NaN;
    const send = (): Promise<unknown> =>
      httpRequest(`${base}/api/v3/order`, {
        method: 'POST',
        headers: {},
        body: 'side=BUY',
        timeoutMs: 2_000,
      });
    for (let i = 0; i < 20; i++) await send(); // the sockets and code paths warmed up first
    received.length = 0;
    gc({ type: 'minor' });
    gc({ type: 'minor' });
    const before = oldSpaceUsed();
    const requests = 200;
    for (let i = 0; i < requests; i++) await send();
    received.length = 0;
    // Two scavenges promote whatever survives them: what the finished requests still hold.
    gc({ type: 'minor' });
    gc({ type: 'minor' });
    const perRequest = (oldSpaceUsed() - before) / requests;
    expect(perRequest).toBeLessThan(2_048);
  });
});
