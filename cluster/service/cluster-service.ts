import { status as GrpcStatus } from '@grpc/grpc-js';
import type { ServerUnaryCall, ServiceError, sendUnaryData } from '@grpc/grpc-js';
import { Metadata } from '@grpc/grpc-js';
import { InvalidArgumentError, PermissionDeniedError, isNinjaError } from '../../domain/errors.ts';
import type { Logger, MetricsRegistry } from '../../observability/index.ts';
import { newCorrelationId } from '../../observability/index.ts';
import { ClusterServiceService } from '../../proto/gen/ninja/v1/cluster_service.ts';
import type {
  ClusterServiceServer,
  DrainNodeRequest,
  DrainNodeResponse,
  GetClusterStatusResponse,
} from '../../proto/gen/ninja/v1/cluster_service.ts';
import type { ListenerService } from '../remote/index.ts';
import { clusterStatusToProto } from './cluster-service-proto.ts';
import type { ClusterOperations } from './cluster-status.ts';

/** Client-certificate common names allowed to call admin methods, unless the node says otherwise. */
export const DEFAULT_ADMIN_NAMES: readonly string[] = ['admin'];

export interface ClusterServiceOptions {
  readonly operations: ClusterOperations;
  readonly logger: Logger;
  readonly metrics: MetricsRegistry;
  /** Common names of client certificates that may drain nodes. Default `['admin']`. */
  readonly adminNames?: readonly string[];
}

/**
 * ClusterService on a node's cluster listener. The listener has already verified the caller's
 * certificate against the cluster CA; DrainNode additionally needs its common name in `adminNames`
 * (node certificates, CN = node id, may read the status but not drain).
 */
export function clusterServiceOnListener(options: ClusterServiceOptions): ListenerService {
  const { operations } = options;
  const logger = options.logger.child({ component: 'cluster-service' });
  const admins = new Set(options.adminNames ?? DEFAULT_ADMIN_NAMES);
  const calls = options.metrics.counter({
    name: 'ninja_cluster_service_calls_total',
    help: 'ClusterService calls served by this node, by method and status code',
    labelNames: ['method', 'code'],
  });

  const answer = <Res>(
    method: string,
    callback: sendUnaryData<Res>,
    correlationId: string,
    work: () => Promise<Res>,
  ): void => {
    work().then(
      (response) => {
        calls.inc({ method, code: 'OK' });
        callback(null, response);
      },
      (error: unknown) => {
        const failure = serviceErrorOf(error);
        calls.inc({ method, code: GrpcStatus[failure.code] });
        const log = isNinjaError(error) ? logger.warn.bind(logger) : logger.error.bind(logger);
        log({ err: error, method, correlationId }, 'ClusterService call failed');
        callback(failure, null);
      },
    );
  };

  const implementation: ClusterServiceServer = {
    getClusterStatus: (_call, callback) => {
      answer('GetClusterStatus', callback, newCorrelationId(), () => getClusterStatus(operations));
    },
    drainNode: (call, callback) => {
      const correlationId = newCorrelationId();
      answer('DrainNode', callback, correlationId, async () => {
        const caller = callerName(call);
        if (caller === undefined || !admins.has(caller)) {
          throw new PermissionDeniedError(
            `DrainNode is for administrators; the client certificate is for ${JSON.stringify(caller ?? '')}`,
          );
        }
        logger.info(
          { nodeId: call.request.nodeId, caller, correlationId },
          'drain requested over ClusterService',
        );
        return drainNode(operations, call.request, correlationId);
      });
    },
  };
  return { definition: ClusterServiceService, implementation };
}

/** GetClusterStatus, as the cluster listener and the client gateway serve it. */
export async function getClusterStatus(operations: ClusterOperations): Promise<GetClusterStatusResponse> {
  return clusterStatusToProto(await operations.status());
}

/** DrainNode once the caller is known to be an administrator (each server checks that its own way). */
export async function drainNode(
  operations: ClusterOperations,
  request: DrainNodeRequest,
  correlationId: string,
): Promise<DrainNodeResponse> {
  const { nodeId } = request;
  if (nodeId.length === 0) throw new InvalidArgumentError('node_id', 'must not be empty');
  await operations.drain(nodeId, correlationId);
  return { nodeId, acceptedBy: operations.nodeId };
}

function callerName(call: ServerUnaryCall<unknown, unknown>): string | undefined {
  const commonName = call.getAuthContext()?.sslPeerCertificate?.subject?.CN;
  return typeof commonName === 'string' ? commonName : undefined;
}

/** A domain error keeps its status; anything else is INTERNAL (the message still says what broke). */
function serviceErrorOf(error: unknown): ServiceError {
  const code = isNinjaError(error) ? error.grpcStatus : GrpcStatus.INTERNAL;
  const message = error instanceof Error ? error.message : String(error);
  return Object.assign(new Error(message), { code, details: message, metadata: new Metadata() });
}
