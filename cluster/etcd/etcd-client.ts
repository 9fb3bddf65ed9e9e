import { Etcd3 } from 'etcd3';
import { InvalidArgumentError } from '../../domain/errors.ts';

export interface EtcdClientOptions {
  /** Client URLs, e.g. `http://127.0.0.1:2379`. */
  readonly endpoints: readonly string[];
  /**
   * Deadline of every unary call (get, put, txn, lease grant/revoke), ms. Streams (watch, lease
   * keepalive) have none. Without it a call to a frozen etcd waits forever. Default 2000.
   */
  readonly requestTimeoutMs?: number;
  /** Connect timeout, ms. Default 2000. */
  readonly dialTimeoutMs?: number;
}

/**
 * An etcd3 client whose unary calls carry a deadline. The caller owns it and closes it with
 * `close()` after the providers and registries using it have stopped.
 */
export function createEtcdClient(options: EtcdClientOptions): Etcd3 {
  if (options.endpoints.length === 0)
    throw new InvalidArgumentError('etcd.endpoints', 'must name at least one endpoint');
  for (const endpoint of options.endpoints) {
    if (!/^https?:\/\/[^/\s]+\/?$/.test(endpoint)) {
      throw new InvalidArgumentError(
        'etcd.endpoints',
        `must be http(s)://host:port URLs; got ${JSON.stringify(endpoint)}`,
      );
    }
  }
  const requestTimeoutMs = options.requestTimeoutMs ?? 2000;
  return new Etcd3({
    hosts: [...options.endpoints],
    dialTimeout: options.dialTimeoutMs ?? 2000,
    defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + requestTimeoutMs }),
  });
}
