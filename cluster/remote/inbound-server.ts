import { Server, ServerCredentials, status } from '@grpc/grpc-js';
import type {
  ConnectionInjector,
  ServerDuplexStream,
  ServiceDefinition,
  UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { createServer } from 'node:tls';
import type { Server as TlsServer, TLSSocket } from 'node:tls';
import type { Socket } from 'node:net';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { Connection } from './connection.ts';
import type { ConnectionHost } from './connection.ts';
import { widenServerWindows } from './flow-control.ts';
import { decodeFrame, encodeWelcomeFrame } from './frame-codec.ts';
import { handshakeProblem } from './handshake.ts';
import { PROTOCOL_VERSION, grpcChannelOptions } from './remote-transport-options.ts';
import type { RemoteStartOptions, ResolvedRemoteOptions } from './remote-transport-options.ts';
import { StreamWriter } from './stream-writer.ts';
import { STRING_TABLE_ENTRIES } from './string-table.ts';
import { clusterTransportServiceDefinition } from './transport-service.ts';

/** Another gRPC service served on the cluster listener, behind the same mutual TLS. */
export interface ListenerService {
  readonly definition: ServiceDefinition;
  readonly implementation: UntypedServiceImplementation;
}

export interface InboundHost extends ConnectionHost {
  readonly clusterName: string;
  readonly options: ResolvedRemoteOptions;
  /** Served beside ClusterTransportService (e.g. ClusterService); read when the server is made. */
  readonly listenerServices?: readonly ListenerService[];
}

type Call = ServerDuplexStream<Buffer, Buffer>;

interface Inbound {
  readonly call: Call;
  readonly writer: StreamWriter;
  connection: Connection | undefined;
}

/**
 * The accepting side. TLS is terminated by our own `tls.Server` (client certificate required and
 * verified against the cluster CA) so that refused handshakes can be logged and counted; verified
 * sockets are then injected into a grpc-js Server that serves ClusterTransportService.
 */
export class InboundServer {
  private readonly grpcServer: Server;
  private readonly injector: ConnectionInjector;
  private readonly tlsServer: TlsServer;
  private readonly inbound = new Set<Inbound>();
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly host: InboundHost,
    tls: RemoteStartOptions['tls'],
  ) {
    this.grpcServer = new Server(grpcChannelOptions(host.options));
    this.grpcServer.addService(clusterTransportServiceDefinition, {
      connect: (call: Call) => this.accept(call),
    });
    for (const service of host.listenerServices ?? []) {
      this.grpcServer.addService(service.definition, service.implementation);
    }
    this.injector = this.grpcServer.createConnectionInjector(ServerCredentials.createInsecure());
    widenServerWindows(this.grpcServer, host.options.flowControlWindowBytes, host.logger);
    this.tlsServer = createServer({
      ca: tls.caPem,
      cert: tls.certificatePem,
      key: tls.privateKeyPem,
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: ['h2'],
      minVersion: 'TLSv1.2',
      noDelay: true,
    });
    this.tlsServer.on('secureConnection', (socket: TLSSocket) => {
      // Nagle plus the peer's delayed ACK would hold small answers back by tens of milliseconds.
      socket.setNoDelay(true);
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      this.injector.injectConnection(socket);
    });
    this.tlsServer.on('tlsClientError', (error: Error, socket: TLSSocket) => {
      host.metrics.tlsRejections.inc();
      host.logger.warn(
        { err: error, remoteAddress: socket.remoteAddress, remotePort: socket.remotePort },
        'refused a cluster connection during the TLS handshake (no valid client certificate from the cluster CA)',
      );
    });
    this.tlsServer.on('error', (error: Error) => {
      host.logger.error({ err: error }, 'cluster TLS listener error');
    });
  }

  /** Listens on `host:port`; resolves with the bound address. */
  listen(listen: string): Promise<string> {
    const colon = listen.lastIndexOf(':');
    const hostname = listen.slice(0, colon);
    const port = Number(listen.slice(colon + 1));
    if (colon <= 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
      return Promise.reject(
        new InvalidArgumentError('listen', `must be host:port; got ${JSON.stringify(listen)}`),
      );
    }
    return new Promise<string>((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.tlsServer.once('error', onError);
      this.tlsServer.listen(port, hostname, () => {
        this.tlsServer.off('error', onError);
        const bound = this.tlsServer.address();
        if (bound === null || typeof bound === 'string') {
          reject(new Error(`unexpected listen address ${String(bound)}`));
          return;
        }
        resolve(`${hostname}:${String(bound.port)}`);
      });
    });
  }

  /** Stops accepting, flushes answers and ends every inbound stream, then shuts the server down. */
  async stop(deadlineMs: number): Promise<void> {
    const closed = new Promise<void>((resolve) => this.tlsServer.close(() => resolve()));
    for (const inbound of this.inbound) {
      inbound.writer.flush();
      inbound.call.end();
    }
    const shutdown = new Promise<void>((resolve) => {
      this.grpcServer.tryShutdown((error) => {
        if (error !== undefined)
          this.host.logger.warn({ err: error }, 'cluster gRPC server did not shut down cleanly');
        resolve();
      });
    });
    let timer: NodeJS.Timeout | undefined;
    const graceful = await Promise.race([
      shutdown.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), deadlineMs);
      }),
    ]);
    clearTimeout(timer);
    if (!graceful) {
      this.host.logger.warn(
        { streams: this.inbound.size },
        'cluster server stop deadline passed; closing streams forcibly',
      );
      this.grpcServer.forceShutdown();
    }
    this.injector.destroy();
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private accept(call: Call): void {
    const host = this.host;
    const peerAddress = call.getPeer();
    const writer = new StreamWriter({
      capacity: host.options.queueCapacity,
      maxBatchEnvelopes: host.options.maxBatchEnvelopes,
      maxBatchBytes: host.options.maxBatchBytes,
      flushScheduling: host.options.flushScheduling,
      ...(host.frameTap === undefined ? {} : { tap: host.frameTap }),
      onBatch: (count) => host.metrics.batchSize.observe('out', count),
    });
    const inbound: Inbound = { call, writer, connection: undefined };
    this.inbound.add(inbound);
    let done = false;
    const finish = (reason: string, error?: unknown): void => {
      if (done) return;
      done = true;
      clearTimeout(handshakeTimer);
      this.inbound.delete(inbound);
      const peerNodeId = inbound.connection?.peerNodeId ?? peerAddress;
      if (inbound.connection !== undefined) inbound.connection.closed = true;
      const dropped = writer.detach().length;
      if (dropped > 0) host.metrics.rejectedEnvelopes.inc({ reason: 'answer-stream-closed' }, dropped);
      if (error !== undefined) {
        host.metrics.streamErrors.inc({ peer: peerNodeId, reason });
        host.logger.warn(
          { err: error, peerNodeId, peerAddress, droppedAnswers: dropped },
          'inbound cluster stream failed',
        );
      } else {
        host.logger.debug(
          { peerNodeId, peerAddress, droppedAnswers: dropped },
          'inbound cluster stream closed',
        );
      }
    };
    const refuse = (reason: string, message: string): void => {
      host.metrics.handshakeRejections.inc({ reason });
      host.logger.warn({ peerAddress, reason }, `refused a cluster stream at handshake: ${message}`);
      finish('handshake');
      call.emit('error', { code: status.FAILED_PRECONDITION, details: message });
    };
    const handshakeTimer = setTimeout(() => {
      refuse('timeout', `no hello within ${String(host.options.handshakeTimeoutMs)} ms`);
    }, host.options.handshakeTimeoutMs);

    call.on('data', (frame: Buffer) => {
      if (done) return;
      if (inbound.connection !== undefined) {
        inbound.connection.onFrame(frame);
        return;
      }
      let decoded;
      try {
        decoded = decodeFrame(frame);
      } catch (error) {
        host.logger.warn({ err: error, peerAddress }, 'malformed hello');
        refuse('malformed', 'the hello frame does not decode');
        return;
      }
      if (decoded.frame !== 'handshake') {
        refuse('order', 'the first frame must be a hello');
        return;
      }
      const hello = decoded.handshake;
      const problem = handshakeProblem(hello, {
        clusterName: host.clusterName,
        protocolVersion: PROTOCOL_VERSION,
      });
      if (problem !== undefined) {
        refuse(problem.reason, problem.message);
        return;
      }
      if (host.options.requireCertificateNodeId) {
        const commonName = call.getAuthContext()?.sslPeerCertificate?.subject?.CN;
        if (commonName !== hello.nodeId) {
          refuse(
            'node-id',
            `the hello says node "${hello.nodeId}" but the client certificate is for "${String(commonName)}"`,
          );
          return;
        }
      }
      clearTimeout(handshakeTimer);
      inbound.connection = new Connection(host, hello.nodeId, writer, (reason) => {
        finish('protocol');
        call.emit('error', { code: status.INTERNAL, details: `protocol error: ${reason}` });
      });
      call.write(
        encodeWelcomeFrame({
          nodeId: host.nodeId,
          clusterName: host.clusterName,
          protocolVersion: PROTOCOL_VERSION,
        }),
      );
      writer.attach(call);
      // The acceptor announces its features first; a dialer that knows them answers with its own.
      writer.announceFeatures(STRING_TABLE_ENTRIES);
      host.logger.info({ peerNodeId: hello.nodeId, peerAddress }, 'accepted a cluster stream');
    });
    call.on('end', () => {
      // The peer half-closed: flush what we owe it, then finish our side.
      writer.flush();
      finish('closed');
      call.end();
    });
    call.on('error', (error: Error) => finish('error', error));
    call.on('cancelled', () => finish('cancelled'));
  }
}
