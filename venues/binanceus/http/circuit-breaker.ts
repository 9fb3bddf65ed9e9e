export const CircuitState = { CLOSED: 'closed', OPEN: 'open', HALF_OPEN: 'half-open' } as const;
export type CircuitState = (typeof CircuitState)[keyof typeof CircuitState];

export interface CircuitBreakerOptions {
  /** Consecutive failures (no answer, 5xx) that open the circuit. */
  readonly failureThreshold: number;
  /** How long the circuit stays open before one trial request is let through. */
  readonly cooldownMs: number;
  readonly now?: () => number;
  readonly onStateChange?: (state: CircuitState) => void;
}

/**
 * Closed → open after N consecutive failures; open rejects every call until the cool-down has
 * passed, then half-open lets one trial call through: success closes, failure re-opens.
 */
export class CircuitBreaker {
  readonly #options: CircuitBreakerOptions;
  readonly #now: () => number;
  #state: CircuitState = CircuitState.CLOSED;
  #failures = 0;
  #openedAt = 0;
  #trialInFlight = false;

  constructor(options: CircuitBreakerOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  get state(): CircuitState {
    if (this.#state === CircuitState.OPEN && this.#now() - this.#openedAt >= this.#options.cooldownMs) {
      this.#set(CircuitState.HALF_OPEN);
    }
    return this.#state;
  }

  /** Whether a call may go out now; in half-open only one trial at a time. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === CircuitState.CLOSED) return true;
    if (state === CircuitState.OPEN || this.#trialInFlight) return false;
    this.#trialInFlight = true;
    return true;
  }

  /** Milliseconds until the open circuit lets a trial through. */
  retryInMs(): number {
    return Math.max(0, this.#openedAt + this.#options.cooldownMs - this.#now());
  }

  onSuccess(): void {
    this.#failures = 0;
    this.#trialInFlight = false;
    if (this.#state !== CircuitState.CLOSED) this.#set(CircuitState.CLOSED);
  }

  onFailure(): void {
    this.#trialInFlight = false;
    this.#failures += 1;
    if (this.#state === CircuitState.HALF_OPEN || this.#failures >= this.#options.failureThreshold) {
      this.#openedAt = this.#now();
      this.#set(CircuitState.OPEN);
    }
  }

  #set(state: CircuitState): void {
    this.#state = state;
    this.#options.onStateChange?.(state);
  }
}
