import { RemoteTransport } from '../remote/index.ts';
import type { RemoteTransportOptions } from '../remote/index.ts';
import type { InboundHost, ListenerService } from '../remote/index.ts';

/**
 * The node's remote transport, whose listener also serves the node's own gRPC services
 * (ClusterService) behind the same mutual TLS: the inbound server reads `listenerServices` from
 * its host when the transport starts.
 */
export class ServingTransport extends RemoteTransport implements Pick<InboundHost, 'listenerServices'> {
  constructor(
    options: RemoteTransportOptions,
    readonly listenerServices: readonly ListenerService[],
  ) {
    super(options);
  }
}
