import type { ServiceDefinition } from '@grpc/grpc-js';
import { ClusterTransportServiceService } from '../../proto/index.ts';

/** The Connect method's path, from the generated service. */
export const CONNECT_PATH = ClusterTransportServiceService.connect.path;

/** Frames cross grpc-js as raw bytes: the writer builds them and the reader decodes them itself. */
export function passThrough(frame: Buffer): Buffer {
  return frame;
}

/**
 * ClusterTransportService with byte pass-through (de)serializers: same wire contract as the
 * generated definition, but decoding happens in the reader, where a malformed frame is caught,
 * logged and counted instead of failing inside grpc-js.
 */
export const clusterTransportServiceDefinition: ServiceDefinition = {
  connect: {
    path: CONNECT_PATH,
    requestStream: true,
    responseStream: true,
    requestSerialize: passThrough,
    requestDeserialize: passThrough,
    responseSerialize: passThrough,
    responseDeserialize: passThrough,
    originalName: 'Connect',
  },
};
