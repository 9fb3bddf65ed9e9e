import { describe, expect, it } from 'vitest';
import {
  FailedPreconditionError,
  InvalidArgumentError,
  NotFoundError,
  OutOfRangeError,
  RiskReason,
  RiskRejectedError,
} from '../../domain/index.ts';
import type { NinjaError } from '../../domain/index.ts';
import { errorDetailOf, errorFromDetail } from './errors.ts';

/** What a caller on another node gets for `error` raised on the owner node. */
const acrossTheWire = (error: NinjaError): NinjaError => errorFromDetail(errorDetailOf(error));

describe('errors across the wire', () => {
  it('a risk refusal keeps its class, reason code and message for every reason', () => {
    for (const reason of Object.values(RiskReason)) {
      const local = new RiskRejectedError(reason, 'notional 120 USD above 100 USD: a: b', {
        clientOrderId: 'c-1',
      });
      const remote = acrossTheWire(local);
      expect(remote).toBeInstanceOf(RiskRejectedError);
      expect((remote as RiskRejectedError).reason).toBe(reason);
      expect(remote.message).toBe(local.message);
      expect(remote.code).toBe('FAILED_PRECONDITION');
      expect(remote.details['reason']).toBe(reason);
    }
  });

  it('another FAILED_PRECONDITION stays a plain one, also when it mentions a risk check', () => {
    for (const message of [
      'order c-1 is FILLED',
      'risk check NOT_A_REASON: x',
      'see risk check KILL_SWITCH: x',
    ]) {
      const remote = acrossTheWire(new FailedPreconditionError(message));
      expect(remote).toBeInstanceOf(FailedPreconditionError);
      expect(remote).not.toBeInstanceOf(RiskRejectedError);
      expect(remote.message).toBe(message);
    }
  });

  it('an INVALID_ARGUMENT or OUT_OF_RANGE keeps the field it names and its message', () => {
    for (const field of [
      'price',
      'limits.maxPosition.BTC-USD.PAPER',
      'accountIds[1]',
      'replacement.clientOrderId',
    ]) {
      const invalid = new InvalidArgumentError(field, 'must be a multiple of the tick 0.01: got 1.001');
      const remote = acrossTheWire(invalid);
      expect(remote).toBeInstanceOf(InvalidArgumentError);
      expect((remote as InvalidArgumentError).field).toBe(field);
      expect(remote.message).toBe(invalid.message);
      const range = acrossTheWire(new OutOfRangeError(field, 'below zero'));
      expect(range).toBeInstanceOf(OutOfRangeError);
      expect((range as OutOfRangeError).field).toBe(field);
    }
  });

  it('a message without a field prefix is attributed to the remote side, unchanged otherwise', () => {
    const remote = errorFromDetail({ code: 'INVALID_ARGUMENT', message: 'bad request', retryable: false });
    expect((remote as InvalidArgumentError).field).toBe('remote');
    expect(remote.message).toBe('remote: bad request');
    expect(acrossTheWire(new NotFoundError('no order c-1 on this account'))).toBeInstanceOf(NotFoundError);
  });
});
