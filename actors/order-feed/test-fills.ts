import type { PortfolioFillWire } from '../portfolio/index.ts';

/** A well-formed fill on the wire with the given trade id (the order feed's tests). */
export const wireFill = (tradeId: string): PortfolioFillWire => ({
  instrumentId: 'BTC-USD.PAPER',
  baseAsset: 'BTC',
  quoteAsset: 'USD',
  tradeId,
  side: 'BUY',
  quantity: '0.0100',
  price: '30000.00',
  fee: { amount: '0.01', currency: 'USD' },
  timestamp: 1,
});
