import { Metadata } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { InvalidArgumentError } from '../../domain/errors.ts';
import type { NinjaError } from '../../domain/errors.ts';

/** A NinjaError as the gRPC status the client sees, with the correlation id (and field) in trailers. */
export function serviceErrorOf(error: NinjaError, correlationId: string): Partial<ServiceError> {
  const metadata = new Metadata();
  metadata.set('x-correlation-id', correlationId);
  if (error instanceof InvalidArgumentError) metadata.set('x-error-field', error.field);
  const retryAfterMs = error.details['retryAfterMs'];
  if (typeof retryAfterMs === 'number') metadata.set('retry-after-ms', String(retryAfterMs));
  return { code: error.grpcStatus, details: error.message, metadata };
}

export function correlationTrailer(correlationId: string): Metadata {
  const metadata = new Metadata();
  metadata.set('x-correlation-id', correlationId);
  return metadata;
}
