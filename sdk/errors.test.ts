import { Metadata, status } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  PermissionDeniedError,
  UnauthenticatedError,
  UnavailableError,
} from './internal.ts';
import { FIELD_METADATA_KEY, GatewayUnreachableError, UnimplementedError, errorFromCall } from './errors.ts';

const call = { method: 'ninja.v1.TradingService/PlaceOrder', address: '127.0.0.1:50051' };

function serviceError(code: number, details: string, metadata = new Metadata()): ServiceError {
  return Object.assign(new Error(`${String(code)} ${details}`), { code, details, metadata });
}

describe('errorFromCall', () => {
  it('names the field of an INVALID_ARGUMENT from the message the gateway writes', () => {
    const error = errorFromCall(serviceError(status.INVALID_ARGUMENT, 'price: must be positive'), call);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).field).toBe('price');
    expect(error.message).toBe('price: must be positive');
    expect(error.details).toMatchObject({ grpcCode: status.INVALID_ARGUMENT, method: call.method });
  });

  it('reads nested field paths and prefers the field named in metadata', () => {
    const nested = errorFromCall(
      serviceError(status.INVALID_ARGUMENT, 'instrument_id.symbol: is empty'),
      call,
    );
    expect((nested as InvalidArgumentError).field).toBe('instrument_id.symbol');
    const metadata = new Metadata();
    metadata.set(FIELD_METADATA_KEY, 'quantity');
    const named = errorFromCall(
      serviceError(status.INVALID_ARGUMENT, 'quantity: too many decimals', metadata),
      call,
    );
    expect((named as InvalidArgumentError).field).toBe('quantity');
    expect(named.message).toBe('quantity: too many decimals');
    const bare = errorFromCall(
      serviceError(status.INVALID_ARGUMENT, 'Request message serialization failure'),
      call,
    );
    expect((bare as InvalidArgumentError).field).toBe('request');
  });

  it('maps each status to its class and keeps the message verbatim', () => {
    const unimplemented = errorFromCall(
      serviceError(status.UNIMPLEMENTED, 'PlaceOrder: the order manager is not built yet'),
      call,
    );
    expect(unimplemented).toBeInstanceOf(UnimplementedError);
    expect(unimplemented.message).toBe('PlaceOrder: the order manager is not built yet');
    expect(errorFromCall(serviceError(status.UNAUTHENTICATED, 'token expired'), call)).toBeInstanceOf(
      UnauthenticatedError,
    );
    expect(errorFromCall(serviceError(status.PERMISSION_DENIED, 'needs trade'), call)).toBeInstanceOf(
      PermissionDeniedError,
    );
  });

  it('tells an unreachable gateway (nothing sent) from a gateway that answered UNAVAILABLE', () => {
    const refused = errorFromCall(
      serviceError(
        status.UNAVAILABLE,
        'No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:50051. Resolution note: ',
      ),
      call,
    );
    expect(refused).toBeInstanceOf(GatewayUnreachableError);
    expect(refused.message).toBe(
      'cannot reach the gateway at 127.0.0.1:50051: connect ECONNREFUSED 127.0.0.1:50051',
    );
    const answered = errorFromCall(serviceError(status.UNAVAILABLE, 'venue paper is reconnecting'), call);
    expect(answered).toBeInstanceOf(UnavailableError);
    expect(answered).not.toBeInstanceOf(GatewayUnreachableError);
  });
});
