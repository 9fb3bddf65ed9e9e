import { connect, createServer } from 'node:net';

/**
 * A TCP port that is free on 127.0.0.1 right now: bind port 0, read what the kernel chose, release
 * it. Another process may take it before we do; callers that start a server retry on "address in
 * use".
 */
export function findFreeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error(`unexpected listening address ${String(address)}`));
        return;
      }
      server.close((error) => (error === undefined ? resolve(address.port) : reject(error)));
    });
  });
}

/** True when something accepts TCP connections on 127.0.0.1:port (a refused connect means closed). */
export function isLoopbackPortOpen(port: number, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(timeoutMs);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(new Error(`connecting to 127.0.0.1:${port} timed out after ${timeoutMs} ms`));
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') resolve(false);
      else reject(error);
    });
  });
}
