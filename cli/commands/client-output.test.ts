import { describe, expect, it } from 'vitest';
import { formatFields, formatTable, toJson } from './client-output.ts';

describe('client output', () => {
  it('aligns columns, right-aligns numbers and shows "-" for empty cells', () => {
    const rows = [
      { asset: 'BTC', total: '1.50000000', locked: undefined },
      { asset: 'USD', total: '100250.25', locked: '12.5' },
    ];
    expect(
      formatTable(
        [
          { header: 'ASSET', cell: (r: (typeof rows)[number]) => r.asset },
          { header: 'TOTAL', cell: (r) => r.total, right: true },
          { header: 'LOCKED', cell: (r) => r.locked, right: true },
        ],
        rows,
      ),
    ).toEqual(['ASSET       TOTAL  LOCKED', 'BTC    1.50000000       -', 'USD     100250.25    12.5']);
  });

  it('shows a decimal column with the decimals its most precise value needs, never dropping a digit', () => {
    const rows = [
      { price: '30183.93000000', quantity: '0.00500000' },
      { price: '30184.10000000', quantity: '0.12345678' },
      { price: '30185', quantity: undefined },
    ];
    expect(
      formatTable(
        [
          { header: 'PRICE', cell: (r: (typeof rows)[number]) => r.price, decimal: true },
          { header: 'QTY', cell: (r) => r.quantity, decimal: true },
        ],
        rows,
      ),
    ).toEqual([
      '   PRICE         QTY',
      '30183.93  0.00500000',
      '30184.10  0.12345678',
      '30185.00           -',
    ]);
  });

  it('aligns field names', () => {
    expect(
      formatFields([
        ['id', 'a'],
        ['status', undefined],
      ]),
    ).toEqual(['id:     a', 'status: -']);
  });

  it('writes JSON with bigints as strings and dates in ISO 8601', () => {
    expect(JSON.parse(toJson({ sequence: 12n, at: new Date(0), gone: undefined }))).toEqual({
      sequence: '12',
      at: '1970-01-01T00:00:00.000Z',
    });
  });
});
