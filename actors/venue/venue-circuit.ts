import {
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
  isBrokenCircuitError,
  isIsolatedCircuitError,
} from 'cockatiel';
import type { CircuitBreakerPolicy } from 'cockatiel';
import { UnavailableError, isNinjaError } from '../../domain/errors.ts';

export interface VenueCircuitOptions {
  /** Consecutive outages (UNAVAILABLE, UNKNOWN outcome, DEADLINE_EXCEEDED, no answer) that open it. */
  readonly failureThreshold: number;
  /** How long it stays open before one trial call is let through. */
  readonly halfOpenAfterMs: number;
}

export const DEFAULT_VENUE_CIRCUIT: VenueCircuitOptions = { failureThreshold: 5, halfOpenAfterMs: 10_000 };

const OUTAGE_CODES: ReadonlySet<string> = new Set([
  'UNAVAILABLE',
  'UNKNOWN',
  'DEADLINE_EXCEEDED',
  'INTERNAL',
]);

/**
 * Whether an error says the venue is not answering properly. A venue that answers "no" (invalid
 * argument, rejected order, not found, rate limited) is up: those never open the circuit.
 */
export function isVenueOutage(error: unknown): boolean {
  if (!isNinjaError(error)) return true;
  return OUTAGE_CODES.has(error.code);
}

export const CIRCUIT_STATE_NAMES: Readonly<Record<CircuitState, string>> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

export function venueCircuit(options: VenueCircuitOptions): CircuitBreakerPolicy {
  return circuitBreaker(handleWhen(isVenueOutage), {
    halfOpenAfter: options.halfOpenAfterMs,
    breaker: new ConsecutiveBreaker(options.failureThreshold),
  });
}

/** Runs `call` through the circuit; an open circuit fails fast with UnavailableError (retryable). */
export async function throughCircuit<T>(
  circuit: CircuitBreakerPolicy,
  venue: string,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await circuit.execute(call);
  } catch (error) {
    if (isBrokenCircuitError(error) || isIsolatedCircuitError(error)) {
      throw new UnavailableError(`venue ${venue}: circuit open after repeated failures; try again later`, {
        cause: error,
        details: { venue, circuit: CIRCUIT_STATE_NAMES[circuit.state] },
      });
    }
    throw error;
  }
}
