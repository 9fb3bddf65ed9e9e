import { describe, expect, it } from 'vitest';
import { UnavailableError } from '../../domain/errors.ts';
import {
  newOrderId,
  parseAccountId,
  parseClientOrderId,
  parseInstrumentId,
  parseVenueId,
} from '../../domain/index.ts';
import { Price, Quantity } from '../../domain/values/index.ts';
import { MetricsRegistry, createLogger } from '../../observability/index.ts';
import { clusterVenueAccess } from './cluster-venue-access.ts';
import type { VenueRequester } from './cluster-venue-access.ts';

/** A requester whose venue answers UNAVAILABLE (still connecting) to the first `failures` requests. */
function connectingVenue(failures: number): { requester: VenueRequester; types: string[] } {
  const types: string[] = [];
  const requester: VenueRequester = {
    request: <Reply, Msg>(_target: string, build: (replyTo: never) => Msg) => {
      const message = build(undefined as never) as { type: string };
      types.push(message.type);
      if (types.length <= failures)
        return Promise.reject(new UnavailableError('venue binanceus is connecting; try again shortly'));
      return Promise.resolve((message.type === 'open-orders' ? [] : null) as Reply);
    },
    send: () => undefined,
  };
  return { requester, types };
}

function access(requester: VenueRequester, readRetryMs?: number) {
  return clusterVenueAccess({
    cluster: requester,
    venues: ['binanceus'],
    logger: createLogger({ level: 'silent' }),
    metrics: new MetricsRegistry(),
    ...(readRetryMs === undefined ? {} : { readRetryMs }),
  });
}

const ref = {
  instrumentId: parseInstrumentId('BTCUSD.BINANCEUS'),
  clientOrderId: parseClientOrderId('a-1'),
};

describe('clusterVenueAccess', () => {
  it('asks again while a venue is still connecting, for reads (a restarted node reconciles at once)', async () => {
    const { requester, types } = connectingVenue(2);
    const venues = access(requester);
    try {
      const endpoint = venues.venue(parseVenueId('binanceus'));
      expect(await endpoint?.getOrder(ref)).toBeUndefined();
      expect(types).toEqual(['get-order', 'get-order', 'get-order']);
      expect(await endpoint?.openOrders()).toEqual([]);
    } finally {
      venues.close();
    }
  });

  it('does not repeat a placement, and gives reads up after readRetryMs', async () => {
    const placing = connectingVenue(1);
    const venues = access(placing.requester);
    const reading = connectingVenue(5);
    const impatient = access(reading.requester, 0);
    try {
      const placement = venues.venue(parseVenueId('binanceus'))?.placeOrder({
        id: newOrderId(),
        clientOrderId: ref.clientOrderId,
        accountId: parseAccountId('1b6f3c9e-5d1a-4f7e-9c2b-8a4d6e1f3a5b'),
        instrumentId: ref.instrumentId,
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: Quantity.parse('1'),
        price: Price.parse('100.00'),
        createdAt: 0,
      });
      await expect(placement).rejects.toBeInstanceOf(UnavailableError);
      expect(placing.types).toEqual(['place-order']);
      await expect(impatient.venue(parseVenueId('binanceus'))?.getOrder(ref)).rejects.toBeInstanceOf(
        UnavailableError,
      );
      expect(reading.types).toEqual(['get-order']);
    } finally {
      venues.close();
      impatient.close();
    }
  });
});
