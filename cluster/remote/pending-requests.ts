import { AlreadyExistsError, DeadlineExceededError } from '../../domain/errors.ts';
import type { NinjaError } from '../../domain/errors.ts';
import type { Envelope } from '../../proto/index.ts';
import { EnvelopeKind } from '../../proto/index.ts';
import { errorFromDetail } from './errors.ts';

/** Outcome label of a finished request, for the latency histogram. */
export type RequestOutcome = 'ok' | 'error' | 'timeout' | 'unavailable';

interface Pending {
  readonly peerNodeId: string;
  readonly target: string;
  readonly type: string;
  readonly startedNs: bigint;
  readonly timer: NodeJS.Timeout;
  readonly resolve: (response: Envelope) => void;
  readonly reject: (error: NinjaError) => void;
}

/**
 * Requests awaiting their RESPONSE or ERROR, by correlation id. Every entry ends exactly once: by
 * its answer, by its deadline, or by `failPeer` when the stream it went out on is lost.
 */
export class PendingRequests {
  private readonly byCorrelation = new Map<string, Pending>();

  constructor(private readonly onSettled: (outcome: RequestOutcome, seconds: number) => void) {}

  get size(): number {
    return this.byCorrelation.size;
  }

  has(correlationId: string): boolean {
    return this.byCorrelation.has(correlationId);
  }

  /** Registers a request; the promise settles with its answer or a domain error. */
  add(peerNodeId: string, request: Envelope, timeoutMs: number): Promise<Envelope> {
    const correlationId = request.correlationId;
    if (this.byCorrelation.has(correlationId)) {
      return Promise.reject(
        new AlreadyExistsError(`a request with correlation id ${correlationId} is already pending`, {
          details: { peerNodeId, correlationId },
        }),
      );
    }
    return new Promise<Envelope>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.settle(
          correlationId,
          'timeout',
          new DeadlineExceededError(
            `request ${request.type} to ${request.target} on ${peerNodeId} got no answer within ${String(timeoutMs)} ms`,
            { details: { peerNodeId, correlationId, target: request.target, type: request.type, timeoutMs } },
          ),
        );
      }, timeoutMs);
      this.byCorrelation.set(correlationId, {
        peerNodeId,
        target: request.target,
        type: request.type,
        startedNs: process.hrtime.bigint(),
        timer,
        resolve,
        reject,
      });
    });
  }

  /** Settles the request answered by `response`; false when none is pending (late or unknown). */
  complete(response: Envelope): boolean {
    const pending = this.byCorrelation.get(response.correlationId);
    if (pending === undefined) return false;
    if (response.kind === EnvelopeKind.ENVELOPE_KIND_ERROR) {
      this.settle(
        response.correlationId,
        'error',
        errorFromDetail(response.error, {
          peerNodeId: pending.peerNodeId,
          correlationId: response.correlationId,
          target: pending.target,
          type: pending.type,
        }),
      );
      return true;
    }
    this.byCorrelation.delete(response.correlationId);
    clearTimeout(pending.timer);
    this.onSettled('ok', Number(process.hrtime.bigint() - pending.startedNs) / 1e9);
    pending.resolve(response);
    return true;
  }

  /** Fails one request (e.g. it could not be queued). */
  fail(correlationId: string, outcome: RequestOutcome, error: NinjaError): void {
    this.settle(correlationId, outcome, error);
  }

  /** Fails every request sent to `peerNodeId`; returns how many. */
  failPeer(peerNodeId: string, error: (correlationId: string) => NinjaError): number {
    let failed = 0;
    for (const [correlationId, pending] of this.byCorrelation) {
      if (pending.peerNodeId !== peerNodeId) continue;
      this.settle(correlationId, 'unavailable', error(correlationId));
      failed += 1;
    }
    return failed;
  }

  private settle(correlationId: string, outcome: RequestOutcome, error: NinjaError): void {
    const pending = this.byCorrelation.get(correlationId);
    if (pending === undefined) return;
    this.byCorrelation.delete(correlationId);
    clearTimeout(pending.timer);
    this.onSettled(outcome, Number(process.hrtime.bigint() - pending.startedNs) / 1e9);
    pending.reject(error);
  }
}
