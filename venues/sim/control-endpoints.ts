import { InvalidArgumentError } from '../../domain/errors.ts';
import { Price, Quantity } from '../../domain/values/index.ts';
import type { MatchingEngine, SubmitOrder } from '../paper/index.ts';
import type { SimOrderFlow } from './order-flow.ts';
import { parseControlBody } from './sim-server.ts';
import type { SimRequest } from './sim-server.ts';

/** A control handler, served at `/__control/<name>` (see SimVenue.control). */
export type ControlHandler = (request: SimRequest) => unknown;

/** A control request's JSON body as an object; InvalidArgumentError (field `body`) otherwise. */
export function controlBody(request: SimRequest): Record<string, unknown> {
  const value = parseControlBody(request.body);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InvalidArgumentError('body', 'must be a JSON object');
  return value as Record<string, unknown>;
}

/** A required non-empty string field of a control body. */
export function controlText(body: Record<string, unknown>, key: string): string {
  const v = body[key];
  if (typeof v !== 'string' || v.length === 0)
    throw new InvalidArgumentError(key, 'must be a non-empty string');
  return v;
}

function optionalText(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.length === 0)
    throw new InvalidArgumentError(key, 'must be a non-empty string');
  return v;
}

export interface SharedControlOptions {
  readonly engine: MatchingEngine;
  readonly flow: SimOrderFlow;
  /** The body/query field naming the instrument in this venue's words (`symbol`, `productId`, `instrument`). */
  readonly instrumentField: string;
  /** The account a control order trades from when the body names none. */
  readonly controlAccount: string;
  /** The test account whose client order ids `GET accepted` counts by default. */
  readonly testAccount: string;
  /** How many orders the venue accepted for a client order id (the duplicate check of the tests). */
  readonly acceptedCount: (clientOrderId: string, accountId: string) => number;
  /** Book levels as the venue writes decimals. */
  readonly wire: (value: Price | Quantity) => string;
  readonly defaultBookDepth: number;
}

/**
 * The control endpoints every simulator serves the same way: `POST step` (advance the background
 * market), `POST order` (a counterparty order straight into the engine), `GET book` and
 * `GET accepted`. Venue-specific endpoints are added beside them.
 */
export function sharedControlEndpoints(o: SharedControlOptions): Record<string, ControlHandler> {
  return {
    'POST step': (r) => {
      const count = controlBody(r)['count'] ?? 1;
      if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0)
        throw new InvalidArgumentError('count', 'must be a non-negative integer');
      return { changed: o.flow.step(count) };
    },
    'POST order': (r) => {
      const b = controlBody(r);
      const price = optionalText(b, 'price');
      const result = o.engine.submit(optionalText(b, 'accountId') ?? o.controlAccount, {
        clientOrderId: controlText(b, 'clientOrderId'),
        instrumentId: controlText(b, o.instrumentField),
        side: controlText(b, 'side') as SubmitOrder['side'],
        type: controlText(b, 'type') as SubmitOrder['type'],
        timeInForce: (optionalText(b, 'timeInForce') ?? 'GTC') as SubmitOrder['timeInForce'],
        quantity: Quantity.parse(controlText(b, 'quantity'), 'quantity'),
        ...(price !== undefined ? { price: Price.parse(price, 'price') } : {}),
      });
      return result.accepted
        ? { accepted: true, orderId: result.order.orderId, status: result.order.status }
        : result;
    },
    'GET book': (r) => {
      const params = new URLSearchParams(r.rawQuery);
      const depth = Number(params.get('depth') ?? o.defaultBookDepth);
      if (!Number.isSafeInteger(depth) || depth <= 0)
        throw new InvalidArgumentError('depth', 'must be a positive integer');
      const book = o.engine.book(params.get(o.instrumentField) ?? '', depth);
      return {
        sequence: book.sequence.toString(),
        bids: book.bids.map(([p, q]) => [o.wire(p), o.wire(q)]),
        asks: book.asks.map(([p, q]) => [o.wire(p), o.wire(q)]),
      };
    },
    'GET accepted': (r) => {
      const params = new URLSearchParams(r.rawQuery);
      return {
        count: o.acceptedCount(params.get('clientOrderId') ?? '', params.get('accountId') ?? o.testAccount),
      };
    },
  };
}
