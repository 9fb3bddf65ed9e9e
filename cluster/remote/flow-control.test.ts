import { Server, ServerCredentials } from '@grpc/grpc-js';
import { connect } from 'node:http2';
import type { ClientHttp2Session, Settings } from 'node:http2';
import { createServer } from 'node:net';
import type { Server as NetServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { testLogger } from '../../test/support/index.ts';
import { MetricsRegistry } from '../../observability/index.ts';
import { DEFAULT_FLOW_CONTROL_WINDOW, widenServerWindows } from './flow-control.ts';
import { grpcChannelOptions, resolveRemoteOptions } from './remote-transport-options.ts';

// A grpc-js server fed through a connection injector, as the cluster listener is (plain TCP here:
// the windows are HTTP/2's business, not TLS's), and a bare Node HTTP/2 client that reads the
// windows the server gives it.

const cleanups: (() => void)[] = [];

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function injectedServer(widenTo: number | undefined): Promise<number> {
  const grpcServer = new Server();
  const injector = grpcServer.createConnectionInjector(ServerCredentials.createInsecure());
  if (widenTo !== undefined) expect(widenServerWindows(grpcServer, widenTo, testLogger())).toBe(true);
  const listener: NetServer = createServer((socket) => injector.injectConnection(socket));
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    listener.close();
    injector.destroy();
    grpcServer.forceShutdown();
  });
  const address = listener.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * The stream and connection windows the server gives, once they reach `expected` (the widened
 * ones come in a second SETTINGS frame and a WINDOW_UPDATE after the first SETTINGS; the test's
 * timeout bounds the wait) or right after the first SETTINGS when `expected` is the default.
 */
async function windowsSeenBy(port: number, expected: number) {
  const session: ClientHttp2Session = connect(`http://127.0.0.1:${String(port)}`);
  cleanups.push(() => session.destroy());
  await new Promise<Settings>((resolve) => session.once('remoteSettings', resolve));
  const windows = () => ({
    streamWindow: session.remoteSettings.initialWindowSize ?? 0,
    connectionWindow: session.state.remoteWindowSize ?? 0,
  });
  while (windows().streamWindow < expected || windows().connectionWindow < expected)
    await new Promise((resolve) => setImmediate(resolve));
  return windows();
}

describe('HTTP/2 flow-control windows of the cluster server', () => {
  it("widens each accepted session's connection and stream windows", async () => {
    const port = await injectedServer(8 * 1024 * 1024);
    expect(await windowsSeenBy(port, 8 * 1024 * 1024)).toEqual({
      streamWindow: 8 * 1024 * 1024,
      connectionWindow: 8 * 1024 * 1024,
    });
  });

  it("without it, grpc-js's server gives Node's 64 KiB windows", async () => {
    const port = await injectedServer(undefined);
    expect(await windowsSeenBy(port, 65_535)).toEqual({ streamWindow: 65_535, connectionWindow: 65_535 });
  });

  it('is 8 MiB unless configured, for the dialer too, and refuses a window HTTP/2 does not allow', () => {
    const base = { logger: testLogger(), metrics: new MetricsRegistry() };
    const defaults = resolveRemoteOptions(base);
    expect(defaults.flowControlWindowBytes).toBe(DEFAULT_FLOW_CONTROL_WINDOW);
    expect(grpcChannelOptions(defaults)['grpc-node.flow_control_window']).toBe(DEFAULT_FLOW_CONTROL_WINDOW);
    expect(resolveRemoteOptions({ ...base, flowControlWindowBytes: 65_535 }).flowControlWindowBytes).toBe(
      65_535,
    );
    for (const bad of [65_534, 2 ** 31, 1.5e6 + 0.5])
      expect(() => resolveRemoteOptions({ ...base, flowControlWindowBytes: bad })).toThrow(
        /flowControlWindowBytes/,
      );
  });
});
