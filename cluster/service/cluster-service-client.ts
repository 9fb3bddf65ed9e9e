import { Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { StatusCode } from '../../domain/errors.ts';
import type { NinjaError } from '../../domain/errors.ts';
import { ClusterServiceClient } from '../../proto/gen/ninja/v1/cluster_service.ts';
import { errorFromDetail } from '../remote/index.ts';
import { dialCredentials } from '../tls/dial.ts';
import type { ClusterTls } from '../tls/index.ts';
import { clusterStatusFromProto } from './cluster-service-proto.ts';
import type { ClusterStatus } from './cluster-status.ts';

export interface ClusterServiceConnectionOptions {
  /** A node's cluster listener, `host:port`. */
  readonly address: string;
  /** The cluster CA and a client certificate it signed. */
  readonly tls: Pick<ClusterTls, 'caPem' | 'certificatePem' | 'privateKeyPem'>;
  /** Per call (default 10 s). */
  readonly timeoutMs?: number;
}

const STATUS_NAMES = new Map<number, string>(Object.entries(StatusCode).map(([name, code]) => [code, name]));

/** ClusterService of one node, over mutual TLS; errors come back as domain errors naming the node. */
export class ClusterServiceConnection {
  private readonly client: ClusterServiceClient;
  private readonly timeoutMs: number;

  constructor(private readonly options: ClusterServiceConnectionOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    const dial = dialCredentials(options.address, options.tls);
    this.client = new ClusterServiceClient(options.address, dial.credentials, dial.options);
  }

  status(): Promise<ClusterStatus> {
    return new Promise((resolve, reject) => {
      this.client.getClusterStatus({}, this.metadata(), this.callOptions(), (error, response) => {
        if (error !== null) reject(this.failure('GetClusterStatus', error));
        else {
          try {
            resolve(clusterStatusFromProto(response));
          } catch (decodeError) {
            reject(decodeError instanceof Error ? decodeError : new Error(String(decodeError)));
          }
        }
      });
    });
  }

  /** Resolves with the node that accepted the drain request. */
  drain(nodeId: string): Promise<string> {
    return new Promise((resolve, reject) => {
      this.client.drainNode({ nodeId }, this.metadata(), this.callOptions(), (error, response) => {
        if (error !== null) reject(this.failure('DrainNode', error));
        else resolve(response.acceptedBy);
      });
    });
  }

  close(): void {
    this.client.close();
  }

  private metadata(): Metadata {
    return new Metadata();
  }

  private callOptions(): { deadline: number } {
    return { deadline: Date.now() + this.timeoutMs };
  }

  private failure(method: string, error: ServiceError): NinjaError {
    const code = STATUS_NAMES.get(error.code) ?? 'UNKNOWN';
    const reason = error.details.length > 0 ? error.details : error.message;
    const message =
      error.code === GrpcStatus.UNAVAILABLE || error.code === GrpcStatus.DEADLINE_EXCEEDED
        ? `node at ${this.options.address} did not answer ${method}: ${reason}`
        : `${method} at ${this.options.address}: ${reason}`;
    return errorFromDetail(
      { code, message, retryable: error.code === GrpcStatus.UNAVAILABLE },
      { address: this.options.address, method },
    );
  }
}
