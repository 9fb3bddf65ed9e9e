import type { FaultInjector } from './faults.ts';
import type { SimResponse } from './sim-server.ts';

/**
 * How one venue answers an injected fault, in its own documented error shape (Binance
 * `{"code","msg"}`, Coinbase `{"error","code","message"}`, OANDA `{"errorMessage"}`). The gate adds
 * `Retry-After` itself.
 */
export interface FaultAnswers {
  /** 429, or 418 where the venue bans an IP that kept going after 429s. */
  rateLimited(status: 429 | 418): SimResponse;
  /** A 5xx whose outcome the client cannot know. */
  serverError(status: number): SimResponse;
}

/** The faults armed for one request, decided before the venue sees it. */
export type GateDecision =
  /** Answer this instead of running the request. */
  | { readonly kind: 'answer'; readonly response: SimResponse }
  /** Run the request (`failAfter`: then answer this 5xx instead of its result). */
  | { readonly kind: 'run'; readonly failAfter: SimResponse | undefined };

/**
 * Applies the request-level faults every simulator shares, in the venue's order: added latency,
 * then an armed 429/418, then an armed 5xx (before or after execution). Lost acknowledgements stay
 * with the caller, which must run the request first.
 */
export async function gateRequest(
  faults: FaultInjector,
  path: string,
  answers: FaultAnswers,
): Promise<GateDecision> {
  if (faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
  const limited = faults.takeRateLimit(path);
  if (limited !== undefined) {
    const response = answers.rateLimited(limited.status);
    return {
      kind: 'answer',
      response: {
        ...response,
        headers: { ...response.headers, 'Retry-After': String(limited.retryAfterSeconds) },
      },
    };
  }
  const failure = faults.takeServerError(path);
  if (failure === undefined) return { kind: 'run', failAfter: undefined };
  const response = answers.serverError(failure.status ?? 503);
  return failure.executed === true ? { kind: 'run', failAfter: response } : { kind: 'answer', response };
}
