import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseClientOrderId, parseInstrumentId } from '../../../../domain/index.ts';
import {
  OandaRequestRejectedError,
  fastParsePricingLine,
  fillOf,
  oandaError,
  parseOrderCreateResponse,
  parseOrderList,
  parsePricingLine,
  parsePricingLineText,
  parsePricingLineValue,
  parseTransaction,
} from '../../../../venues/oanda/index.ts';
import type { OandaPricingLine } from '../../../../venues/oanda/index.ts';

const DATA = new URL('../../../../../shared/data/', import.meta.url);
const lines = (file: string): string[] =>
  readFileSync(new URL(file, DATA), 'utf8')
    .split('\n')
    .filter((l) => l.length > 0);

interface Recorded {
  readonly pricing_stream_lines: unknown[];
  readonly transaction_stream_lines: unknown[];
  readonly order_responses: Array<{ status_line: string | null; json: Record<string, unknown> }>;
  readonly error_examples: Array<{ json: Record<string, unknown> }>;
}
const recorded = JSON.parse(
  readFileSync(new URL('oanda-v20-practice-responses.json', DATA), 'utf8'),
) as Recorded;

/** A line as plain text values, for comparing the two parsers. */
function plain(line: OandaPricingLine): unknown {
  return JSON.parse(JSON.stringify(line)) as unknown;
}

describe('recorded OANDA data parses into domain types', () => {
  it('practice pricing-stream lines: exact prices, integer liquidity, nanosecond times to ms', () => {
    const parsed = lines('oanda-v20-pricing-stream-2017-03-09.ndjson').map(parsePricingLine);
    expect(parsed).toHaveLength(4);
    const first = parsed[0];
    expect(first?.type).toBe('PRICE');
    if (first?.type !== 'PRICE') return;
    expect(first.price.instrument).toBe('EUR_USD');
    expect(first.price.time).toBe(Date.UTC(2017, 2, 9, 13, 37, 46, 48));
    expect(first.price.tradeable).toBe(true);
    expect(first.price.bids.map((b) => `${b.price.toString()}@${b.quantity.toString()}`)).toEqual([
      '1.05522@10000000',
      '1.05520@10000000',
    ]);
    expect(first.price.asks[0]?.price.toString()).toBe('1.05534');
    expect(first.price.closeoutBid.toString()).toBe('1.05518');
    expect(first.price.closeoutAsk.toString()).toBe('1.05538');
    const jpy = parsed[1];
    expect(jpy?.type === 'PRICE' && jpy.price.asks.map((a) => a.price.toString())).toEqual([
      '120.991',
      '120.992',
      '120.993',
      '120.995',
    ]);
  });

  it('the documented example stream (deprecated status instead of tradeable, a heartbeat)', () => {
    const parsed = lines('oanda-v20-pricing-stream-docs-example.ndjson').map(parsePricingLine);
    expect(parsed.map((l) => l.type)).toEqual(['PRICE', 'HEARTBEAT', 'PRICE', 'PRICE']);
    expect(parsed[1]).toEqual({ type: 'HEARTBEAT', time: Date.UTC(2016, 9, 27, 8, 38, 44, 327) });
    expect(parsed[0]?.type === 'PRICE' && parsed[0].price.tradeable).toBe(true);
  });

  it('the fast path and the validating parser agree on every recorded line', () => {
    const all = [
      ...lines('oanda-v20-pricing-stream-2017-03-09.ndjson'),
      ...lines('oanda-v20-pricing-stream-docs-example.ndjson'),
      ...recorded.pricing_stream_lines.map((l) => JSON.stringify(l)),
      ...recorded.transaction_stream_lines.map((l) => JSON.stringify(l)),
    ];
    for (const line of all) {
      const fast = fastParsePricingLine(line);
      expect(fast, line).toBeDefined();
      expect(plain(fast as OandaPricingLine), line).toEqual(plain(parsePricingLineText(line)));
    }
  });

  it('transaction-stream heartbeats carry lastTransactionID', () => {
    const heartbeats = recorded.transaction_stream_lines.map(parsePricingLineValue);
    expect(heartbeats[0]).toEqual({
      type: 'HEARTBEAT',
      time: Date.UTC(2017, 2, 9, 15, 8, 57, 512),
      lastTransactionId: '7582',
    });
  });

  it('order responses: create + cancel (FOK refused), create + fill, pending orders, cancel, GTD create', () => {
    const responses = recorded.order_responses.map((r) => r.json);
    const refused = parseOrderCreateResponse(responses[2]);
    expect(refused.create?.units.toString()).toBe('10000');
    expect(refused.cancel?.reason).toBe('STOP_LOSS_ON_FILL_LOSS');
    expect(refused.fill).toBeUndefined();
    expect(refused.lastTransactionId).toBe('7577');

    const filled = parseOrderCreateResponse(responses[3]);
    const fill = filled.fill;
    expect(fill?.price.toString()).toBe('1.05563');
    expect(fill?.accountBalance?.toString()).toBe('102107.4442');
    if (fill === undefined) return;
    const venueFill = fillOf(fill, parseInstrumentId('EUR_USD.OANDA'), parseClientOrderId('ng-test'), 'USD');
    expect(venueFill).toMatchObject({
      side: 'BUY',
      tradeId: '7579',
      venueOrderId: '7578',
      liquidity: 'TAKER',
    });
    expect(venueFill.quantity.toString()).toBe('10000');
    expect(venueFill.fee.isZero() && venueFill.fee.currency).toBe('USD'); // no commission field: none charged
    expect(venueFill.timestamp).toBe(Date.UTC(2017, 2, 9, 13, 22, 13, 832));

    const pending = parseOrderList(responses[4]?.['orders'], 'orders');
    expect(pending.map((o) => `${o.type}:${o.state}:${o.price?.toString() ?? ''}`)).toEqual([
      'STOP_LOSS:PENDING:1.05000',
      'TAKE_PROFIT:PENDING:1.10000',
      'STOP_LOSS:PENDING:1.05000',
      'STOP_LOSS:PENDING:1.05000',
      'STOP_LOSS:PENDING:1.05000',
    ]);
    expect(pending[0]?.instrument).toBeUndefined();

    const cancel = parseTransaction(responses[5]?.['orderCancelTransaction']);
    expect(cancel).toMatchObject({ kind: 'cancel', orderId: '7580', reason: 'CLIENT_REQUEST', id: '7582' });

    const gtd = parseOrderCreateResponse(responses[7]);
    expect(gtd.create?.timeInForce).toBe('GTD');
    expect(gtd.create?.gtdTime).toBe(Date.UTC(2018, 6, 2, 4));
    expect(gtd.create?.price?.toString()).toBe('1.08000');
    const limits = parseOrderList(responses[8]?.['orders'], 'orders');
    expect(limits[0]).toMatchObject({ id: '8923', type: 'LIMIT', state: 'PENDING', instrument: 'EUR_USD' });
    expect(limits[0]?.units?.toString()).toBe('10000');
    expect(parseTransaction(responses[9]?.['orderCancelTransaction'])).toMatchObject({
      kind: 'cancel',
      orderId: '8923',
    });
  });

  it('the recorded 400 error body maps to a request-rejected error with the venue message', () => {
    const body = recorded.error_examples[0]?.json ?? {};
    const error = oandaError(400, { errorMessage: body['errorMessage'] as string, raw: body }, true);
    expect(error).toBeInstanceOf(OandaRequestRejectedError);
    expect(error.errorMessage).toBe("Invalid value specified for 'order.instrument'");
  });
});
