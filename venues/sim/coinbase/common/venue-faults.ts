import { FaultInjector } from '../../faults.ts';
import type { FaultSettings } from '../../faults.ts';

/**
 * The shared fault state, with the 429 and 5xx faults answered by the Coinbase routes instead of the
 * generic server (whose bodies are Binance's): the server sees none, `takeVenue*` hands them out.
 * Latency, lost acks, dropped streams, gaps and stale heartbeats stay with the server as they are.
 */
export class CoinbaseFaults extends FaultInjector {
  override takeRateLimit(): FaultSettings['rateLimit'] {
    return undefined;
  }

  override takeServerError(): FaultSettings['serverError'] {
    return undefined;
  }

  takeVenueRateLimit(path: string): FaultSettings['rateLimit'] {
    return super.takeRateLimit(path);
  }

  takeVenueServerError(path: string): FaultSettings['serverError'] {
    return super.takeServerError(path);
  }
}
