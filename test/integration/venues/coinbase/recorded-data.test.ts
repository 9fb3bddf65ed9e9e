import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseInstrumentId } from '../../../../domain/identifiers/index.ts';
import { Money, Price, Quantity } from '../../../../domain/values/index.ts';
import {
  MalformedPayloadError,
  parseAccountPage,
  parseCancelResults,
  parseCreateOrderResponse,
  parseFillPage,
  parseGetOrder,
  parseMessage,
  parsePriceBook,
  parseProduct,
  splitLevels,
  toFill,
  toInstrument,
  toPublicTrade,
  toSnapshot,
} from '../../../../venues/coinbase/index.ts';
import type { CoinbaseMessage } from '../../../../venues/coinbase/index.ts';

const FRAMES = new URL(
  '../../../../../shared/data/coinbase-advanced-trade-ws-excerpt-2026-09-30.ndjson',
  import.meta.url,
);
const REST = JSON.parse(
  readFileSync(new URL('./fixtures/rest-responses.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

function frames(): CoinbaseMessage[] {
  return readFileSync(FRAMES, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => parseMessage(l));
}

describe('recorded Coinbase frames and documented responses parse into domain types', () => {
  it('every recorded frame parses, with contiguous sequence_num across channels', () => {
    const all = frames();
    expect(all.map((m) => m.channel)).toEqual([
      'market_trades',
      'l2_data',
      'market_trades',
      'heartbeats',
      'user',
      'subscriptions',
    ]);
    const seq = all.slice(0, 3).map((m) => (m.channel === 'error' ? -1 : m.sequence));
    expect(seq).toEqual([247, 248, 249]);
  });

  it('l2_data updates become exact bid/ask levels; zero removes', () => {
    const l2 = frames()[1];
    if (l2?.channel !== 'l2_data') throw new Error('expected l2_data');
    const event = l2.events[0];
    expect(event?.type).toBe('update');
    expect(event?.productId).toBe('ETH-USD');
    expect(l2.timestamp).toBe(Date.parse('2026-09-30T02:39:59.566Z'));
    const { bids, asks } = splitLevels(event?.updates ?? []);
    expect(bids.map((l) => [l.price.toString(), l.quantity.toString()])).toEqual([
      ['2667.24', '0'],
      ['2667.15', '2.246'],
      ['2667.14', '0'],
    ]);
    expect(asks.map((l) => [l.price.toString(), l.quantity.toString()])).toEqual([
      ['2667.4', '0'],
      ['2667.41', '3.23779864'],
      ['2667.42', '0.00072151'],
    ]);
    expect(asks[1]?.quantity.eq(Quantity.parse('3.23779864'))).toBe(true);
  });

  it('market_trades become PublicTrades (venue side = maker side)', () => {
    const m = frames()[2];
    if (m?.channel !== 'market_trades') throw new Error('expected market_trades');
    const raw = m.events[0]?.trades[0];
    if (raw === undefined) throw new Error('no trade');
    const trade = toPublicTrade(parseInstrumentId('BTC-USD.COINBASE'), raw);
    expect(trade).toEqual({
      instrumentId: 'BTC-USD.COINBASE',
      tradeId: '1100253573',
      price: Price.parse('83320.66'),
      quantity: Quantity.parse('0.0041608'),
      aggressorSide: 'BUY',
      timestamp: Date.parse('2026-09-30T02:39:59.416Z'),
    });
  });

  it('heartbeats, the user snapshot and the subscriptions ack', () => {
    const [, , , hb, user, subs] = frames();
    expect(hb?.channel === 'heartbeats' && hb.events[0]?.counter).toBe(21697);
    expect(user?.channel === 'user' && user.events[0]).toEqual({ type: 'snapshot', orders: [] });
    expect(subs?.channel === 'subscriptions' && subs.events[0]).toEqual({
      user: ['00000000-0000-0000-0000-000000000000'],
    });
  });

  it('malformed frames are MalformedPayloadErrors naming the payload', () => {
    const bad = [
      'not json',
      '{"channel":"l2_data","timestamp":"2026-09-30T02:39:59Z","sequence_num":1,"events":[{"type":"update","product_id":"X","updates":[{"side":"ask","event_time":"2026-09-30T02:39:59Z","price_level":"1","new_quantity":"1"}]}]}',
      '{"channel":"market_trades","timestamp":"2026-09-30T02:39:59Z","sequence_num":"7","events":[]}',
      '{"channel":"market_trades","timestamp":"yesterday","sequence_num":7,"events":[]}',
      '{"channel":"market_trades","timestamp":"2026-09-30T02:39:59Z","sequence_num":7,"events":[{"type":"update","trades":[{"trade_id":"1","product_id":"BTC-USD","price":"1.5e3","size":"1","side":"BUY","time":"2026-09-30T02:39:59Z"}]}]}',
    ];
    for (const text of bad) expect(() => parseMessage(text), text).toThrow(MalformedPayloadError);
  });

  it('a product becomes an Instrument with its increments', () => {
    const instrument = toInstrument(parseProduct(REST['product']));
    expect(instrument.id).toBe('BTC-USD.COINBASE');
    expect(instrument.tickSize.eq(Price.parse('0.01'))).toBe(true);
    expect(instrument.stepSize.eq(Quantity.parse('0.00000001'))).toBe(true);
    expect(instrument.maxQuantity.toString()).toBe('3400');
    expect(instrument.minNotional.eq(Money.parse('1', 'USD'))).toBe(true);
  });

  it('create-order answers: success and a rejection with the venue reason', () => {
    expect(parseCreateOrderResponse(REST['createOrderSuccess'])).toMatchObject({
      success: true,
      orderId: '11111-00000-000000',
    });
    expect(parseCreateOrderResponse(REST['createOrderInsufficientFund'])).toMatchObject({
      success: false,
      reason: 'INSUFFICIENT_FUND',
      previewFailureReason: 'PREVIEW_INSUFFICIENT_FUND',
    });
  });

  it('an order, its fills, cancels, accounts and the book map to domain types', () => {
    const order = toSnapshot(parseGetOrder(REST['getOrder']));
    expect(order).toMatchObject({
      instrumentId: 'BTC-USD.COINBASE',
      status: 'PARTIALLY_FILLED',
      type: 'LIMIT',
      side: 'BUY',
    });
    expect(order.quantity.eq(Quantity.parse('0.001'))).toBe(true);
    expect(order.price?.eq(Price.parse('10000'))).toBe(true);
    expect(order.updatedAt).toBe(Date.parse('2021-05-31T10:00:02.000Z'));
    const [fill] = parseFillPage(REST['listFills']).fills;
    if (fill === undefined) throw new Error('no fill');
    const domainFill = toFill(fill, parseInstrumentId('BTC-USD.COINBASE'), order.clientOrderId, 'USD');
    expect(domainFill.fee.eq(Money.parse('0.018', 'USD'))).toBe(true);
    expect(domainFill.liquidity).toBe('MAKER');
    expect(parseCancelResults(REST['batchCancel']).map((r) => r.failureReason)).toEqual([
      'UNKNOWN_CANCEL_FAILURE_REASON',
      'UNKNOWN_CANCEL_ORDER',
    ]);
    const [account] = parseAccountPage(REST['accounts']).accounts;
    expect(account?.available.toString()).toBe('1.23');
    expect(account?.hold.toString()).toBe('0.5');
    const book = parsePriceBook(REST['productBook']);
    expect(book.asks[0]?.price.toString()).toBe('83320.66');
  });
});
