import { describe, expect, it } from 'vitest';
import { parseExecutionReport } from '../common/parse-user-data.ts';
import { executionEvents } from './order-mapping.ts';

/** An executionReport as the user data stream sends it (fields as in the venue's documentation). */
function report(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    e: 'executionReport',
    E: 1_700_000_000_100,
    s: 'BTCUSD',
    c: 'ng-0123456789abcdef0123456789abcdef',
    S: 'BUY',
    o: 'LIMIT',
    f: 'GTC',
    q: '0.02000000',
    p: '30000.00000000',
    P: '0.00000000',
    F: '0.00000000',
    g: -1,
    C: '',
    x: 'NEW',
    X: 'NEW',
    r: 'NONE',
    i: 42,
    l: '0.00000000',
    z: '0.00000000',
    L: '0.00000000',
    n: '0',
    N: null,
    T: 1_700_000_000_100,
    t: -1,
    I: 0,
    w: true,
    m: false,
    M: false,
    O: 1_700_000_000_000,
    Z: '0.00000000',
    Y: '0.00000000',
    Q: '0.00000000',
    W: 1_700_000_000_000,
    V: 'NONE',
    ...fields,
  };
}

describe('executionEvents', () => {
  it('reports a trade as its fill first, then the order state that includes it', () => {
    const events = executionEvents(
      parseExecutionReport(
        report({
          x: 'TRADE',
          X: 'PARTIALLY_FILLED',
          l: '0.01000000',
          z: '0.01000000',
          L: '30000.00000000',
          n: '0.00001000',
          N: 'BTC',
          t: 7,
          Z: '300.00000000',
          Y: '300.00000000',
        }),
      ),
      'USD',
    );
    // An order manager applying them in this order knows the fill when it sees the cumulative
    // filled quantity, so it has nothing to ask the venue.
    expect(events.map((e) => e.kind)).toEqual(['fill', 'order']);
    const [fill, order] = events;
    expect(fill?.kind === 'fill' && fill.fill.quantity.toString()).toBe('0.01000000');
    expect(order?.kind === 'order' && order.order.filledQuantity.toString()).toBe('0.01000000');
  });

  it('reports a report without a trade as the order state alone', () => {
    const events = executionEvents(parseExecutionReport(report({})), 'USD');
    expect(events.map((e) => e.kind)).toEqual(['order']);
  });
});
