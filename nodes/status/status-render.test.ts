import { describe, expect, it } from 'vitest';
import { renderStatus, summariseStatus } from './status-render.ts';
import type { StatusSnapshot } from './status-snapshot.ts';

const snapshot: StatusSnapshot = {
  at: new Date('2026-01-02T03:04:05Z'),
  markets: [
    {
      venue: 'paper',
      symbol: 'BTC-USD',
      top: {
        ok: true,
        value: {
          instrumentId: 'BTC-USD.PAPER',
          status: 'synced',
          sequence: 7,
          bid: ['100.00', '1'],
          ask: ['101.00', '2'],
        },
      },
    },
    { venue: 'coinbase', symbol: 'BTC-USD', top: { ok: false, error: 'deadline exceeded' } },
  ],
  accounts: [
    {
      label: 'paper',
      accountId: 'acc-1',
      orders: { ok: true, value: { open: 2, placed: 5, filled: 2, rejected: 1, cancelled: 0, fills: 3 } },
      positions: {
        ok: true,
        value: {
          lines: [{ instrumentId: 'BTC-USD.PAPER', quantity: '0.02', realisedPnl: '1.50 USD' }],
          unrealised: '0.20 USD',
        },
      },
    },
    {
      label: 'oanda',
      accountId: 'acc-2',
      orders: { ok: false, error: 'x' },
      positions: { ok: false, error: 'y' },
    },
  ],
  strategies: [{ id: 'strategy/mm-paper-btc-usd', state: 'FAILED', detail: 'stopped after 4 crashes' }],
};
const connect = {
  grpc: '127.0.0.1:50051',
  http: 'http://127.0.0.1:8080',
  credentialsFile: '/home/u/creds.json',
  logFile: undefined,
};

describe('renderStatus', () => {
  it('shows markets, accounts, strategies and how to connect; a failed source reads unavailable', () => {
    const text = renderStatus(snapshot, connect).join('\n');
    expect(text).toContain('03:04:05 UTC');
    expect(text).toMatch(/paper\/BTC-USD\s+100\.00\s+101\.00\s+synced/);
    expect(text).toMatch(/coinbase\/BTC-USD\s+unavailable/);
    expect(text).toContain('open 2  placed 5  filled 2  rejected 1  cancelled 0  fills 3');
    expect(text).toMatch(/BTC-USD\.PAPER\s+pos 0\.02\s+realised 1\.50 USD/);
    expect(text).toContain('unrealised PnL 0.20 USD');
    expect(text).toContain('orders unavailable');
    expect(text).toContain('positions unavailable');
    expect(text).toMatch(/strategy\/mm-paper-btc-usd\s+FAILED\s+stopped after 4 crashes/);
    expect(text).toContain('127.0.0.1:50051');
    expect(text).toContain('ws://127.0.0.1:8080/ws');
    expect(text).toContain('npx gekko orders list --account acc-1\n');
    const elsewhere = renderStatus(snapshot, { ...connect, grpc: '127.0.0.1:6000' }).join('\n');
    expect(elsewhere).toContain('npx gekko orders list --account acc-1 --gateway 127.0.0.1:6000');
    expect(text).toContain('/home/u/creds.json');
  });
});

describe('summariseStatus', () => {
  it('totals what is known and lists what is not', () => {
    expect(summariseStatus(snapshot)).toEqual({
      markets: { 'paper/BTC-USD': '100.00/101.00' },
      orders: { open: 2, placed: 5, rejected: 1 },
      fills: 3,
      failedStrategies: ['strategy/mm-paper-btc-usd'],
      unavailable: ['book/coinbase/BTC-USD', 'orders/acc-2', 'portfolio/acc-2'],
    });
  });
});
