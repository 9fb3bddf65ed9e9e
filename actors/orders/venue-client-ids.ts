// Many of our accounts may trade through ONE venue connection (one venue-side account), so the
// client order id sent to the venue is the account's, made unique per account: `g` + an 8-hex tag
// of the account + `-` + 26 hex of SHA-256(account, client order id) — 36 characters of [0-9a-g-],
// within every venue's limit (Binance.US `^[.A-Z:/a-z0-9_-]{1,36}$`, Coinbase free text, OANDA 128).
// Deterministic, so a retry or a recovery sends the same id (the venue's idempotency key); the tag
// lets each account consider only its own venue orders and executions (docs/trading.md).
import { createHash } from 'node:crypto';
import { InternalError, parseClientOrderId } from '../../domain/index.ts';
import type { AccountId, ClientOrderId } from '../../domain/index.ts';
import type {
  PlacementResult,
  VenueExecutionEvent,
  VenueFill,
  VenueOrderRef,
  VenueOrderSnapshot,
} from '../../venues/venue-connector.ts';
import type { VenueEndpoint } from './venue-access.ts';

const hex = (text: string, length: number): string =>
  createHash('sha256').update(text, 'utf8').digest('hex').slice(0, length);

/** The prefix of every venue client order id of `accountId`. */
export function accountTag(accountId: AccountId): string {
  return `g${hex(`ninja-account\u0000${accountId}`, 8)}-`;
}

/** The client order id the venue sees for the account's `clientOrderId`. */
export function venueClientOrderId(accountId: AccountId, clientOrderId: ClientOrderId): ClientOrderId {
  return taggedVenueClientOrderId(accountTag(accountId), accountId, clientOrderId);
}

/** As `venueClientOrderId`, with the account's tag already hashed (one hash per order, not two). */
function taggedVenueClientOrderId(
  tag: string,
  accountId: AccountId,
  clientOrderId: ClientOrderId,
): ClientOrderId {
  return parseClientOrderId(`${tag}${hex(`${accountId}\u0000${clientOrderId}`, 26)}`, 'venueClientOrderId');
}

/** One account's view of venue client order ids: forward by hashing, back by what it has sent. */
export class AccountVenueIds {
  private readonly back = new Map<string, ClientOrderId>();
  /** The other way, so an order's id is hashed once, not at every venue call. */
  private readonly forward = new Map<ClientOrderId, ClientOrderId>();
  private readonly tag: string;

  constructor(readonly accountId: AccountId) {
    this.tag = accountTag(accountId);
  }

  toVenue(clientOrderId: ClientOrderId): ClientOrderId {
    const known = this.forward.get(clientOrderId);
    if (known !== undefined) return known;
    const id = taggedVenueClientOrderId(this.tag, this.accountId, clientOrderId);
    this.back.set(id, clientOrderId);
    this.forward.set(clientOrderId, id);
    return id;
  }

  /** Makes the account's known orders recognisable (on activation, before any venue event). */
  remember(clientOrderIds: Iterable<ClientOrderId>): void {
    for (const id of clientOrderIds) this.toVenue(id);
  }

  /** Stops recognising an order's venue events (it finished and left the order manager's state). */
  forget(clientOrderId: ClientOrderId): void {
    const id = this.forward.get(clientOrderId);
    if (id === undefined) return;
    this.forward.delete(clientOrderId);
    this.back.delete(id);
  }

  /** Our client order id for a venue one; undefined for another account's or a manual order. */
  fromVenue(venueId: string): ClientOrderId | undefined {
    return venueId.startsWith(this.tag) ? this.back.get(venueId) : undefined;
  }
}

function ref(ids: AccountVenueIds, r: VenueOrderRef): VenueOrderRef {
  return { ...r, clientOrderId: ids.toVenue(r.clientOrderId) };
}

/** What the venue said, in the account's ids; undefined when it is not this account's order. */
export function ownSnapshot(ids: AccountVenueIds, s: VenueOrderSnapshot): VenueOrderSnapshot | undefined {
  const clientOrderId = ids.fromVenue(s.clientOrderId);
  return clientOrderId === undefined ? undefined : { ...s, clientOrderId };
}

export function ownFill(ids: AccountVenueIds, f: VenueFill): VenueFill | undefined {
  const clientOrderId = ids.fromVenue(f.clientOrderId);
  return clientOrderId === undefined ? undefined : { ...f, clientOrderId };
}

/** An execution event for this account, or undefined (another account's, or a manual order's). */
export function ownEvent(ids: AccountVenueIds, e: VenueExecutionEvent): VenueExecutionEvent | undefined {
  switch (e.kind) {
    case 'order': {
      const order = ownSnapshot(ids, e.order);
      if (order === undefined) return undefined;
      return e.reason === undefined ? { kind: 'order', order } : { kind: 'order', order, reason: e.reason };
    }
    case 'fill': {
      const fill = ownFill(ids, e.fill);
      return fill === undefined ? undefined : { kind: 'fill', fill };
    }
    case 'reconnected':
      return e;
  }
}

const required = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new InternalError(`the venue answered ${what} with another account's order`);
  return value;
};

/**
 * `endpoint` as one account sees it: requests carry the account's venue client order ids, answers
 * come back in the account's own ids, and other accounts' orders and executions are left out
 * (`foreign` counts each one left out).
 */
export function accountEndpoint(
  endpoint: VenueEndpoint,
  ids: AccountVenueIds,
  foreign: (what: string) => void,
): VenueEndpoint {
  const placement = (p: PlacementResult, clientOrderId: ClientOrderId): PlacementResult =>
    p.kind === 'rejected'
      ? { ...p, clientOrderId }
      : {
          kind: 'accepted',
          order: { ...p.order, clientOrderId },
          fills: p.fills.map((f) => ({ ...f, clientOrderId })),
        };
  return {
    venue: endpoint.venue,
    get capabilities() {
      return endpoint.capabilities;
    },
    instruments: () => endpoint.instruments(),
    placeOrder: async (request, options) =>
      placement(
        await endpoint.placeOrder({ ...request, clientOrderId: ids.toVenue(request.clientOrderId) }, options),
        request.clientOrderId,
      ),
    cancelOrder: async (r, options) =>
      required(ownSnapshot(ids, await endpoint.cancelOrder(ref(ids, r), options)), 'cancel'),
    getOrder: async (r, options) => {
      const snapshot = await endpoint.getOrder(ref(ids, r), options);
      return snapshot === undefined ? undefined : required(ownSnapshot(ids, snapshot), 'get-order');
    },
    openOrders: async (instrumentId, options) => {
      const own: VenueOrderSnapshot[] = [];
      for (const snapshot of await endpoint.openOrders(instrumentId, options)) {
        const mine = ownSnapshot(ids, snapshot);
        if (mine === undefined) foreign('open-order');
        else own.push(mine);
      }
      return own;
    },
    orderFills: async (r, options) =>
      (await endpoint.orderFills(ref(ids, r), options)).map((f) => required(ownFill(ids, f), 'order-fills')),
    onExecution: (listener, subscriber) =>
      endpoint.onExecution((event) => {
        const mine = ownEvent(ids, event);
        if (mine === undefined) foreign(`execution:${event.kind}`);
        else listener(mine);
      }, subscriber),
  };
}
