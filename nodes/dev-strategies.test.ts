import { describe, expect, it } from 'vitest';
import { parseArbitrageConfig } from '../actors/arbitrage/index.ts';
import { parseMarketMakerConfig } from '../actors/strategy/index.ts';
import { emptyRiskLimits, formatInstrumentId, updateRiskLimits } from '../domain/index.ts';
import { demoRiskLimits } from './dev-accounts.ts';
import { demoPlan } from './dev-strategies.ts';
import type { DevMarket } from './dev-venues.ts';

const market = (venue: string, symbol: string, base: string, takerFee: string): DevMarket => ({
  venue,
  symbol,
  instrumentId: formatInstrumentId(symbol, venue),
  base,
  quote: 'USD',
  takerFee,
  book: `book/${venue}/${symbol}`,
});
const markets = [
  market('binanceus', 'BTCUSD', 'BTC', '0.001'),
  market('binanceus', 'ETHUSD', 'ETH', '0.001'),
  market('coinbase', 'BTC-USD', 'BTC', '0.006'),
  market('coinbase', 'ETH-USD', 'ETH', '0.006'),
  market('oanda', 'EUR_USD', 'EUR', '0'),
  market('paper', 'BTC-USD', 'BTC', '0.002'),
  market('paper', 'ETH-USD', 'ETH', '0.002'),
  market('paper', 'EUR-USD', 'EUR', '0.002'),
  market('paper', 'SOL-USD', 'SOL', '0.002'),
  market('paper', 'LTC-USD', 'LTC', '0.002'),
];
const accounts = ['binanceus', 'coinbase', 'oanda', 'paper'].map((venue, i) => ({
  venue,
  accountId: `0000000${i}-0000-4000-8000-000000000000`,
}));

describe('the demo plan', () => {
  it('has a valid market maker on every market and a valid arbitrage detector per crypto asset', () => {
    const plan = demoPlan(markets, accounts);
    expect(plan.marketMakers).toHaveLength(10);
    for (const mm of plan.marketMakers) expect(() => parseMarketMakerConfig(mm.config)).not.toThrow();
    expect(plan.arbitrage.map((a) => a.identity)).toEqual(['arbitrage/btc-usd', 'arbitrage/eth-usd']);
    for (const arb of plan.arbitrage) {
      const config = parseArbitrageConfig(arb.config);
      expect(config.legs.map((l) => l.venue)).toEqual(['binanceus', 'coinbase', 'paper']);
      // Each leg knows its venue's minimum order value, so the detector never sends one leg of a pair
      // whose other leg that venue would refuse.
      expect(config.legs.map((l) => l.minNotional?.toString())).toEqual(['10', '1', '1']);
    }
  });

  it('leaves out markets without an account', () => {
    const plan = demoPlan(markets, accounts.slice(3));
    expect(plan.marketMakers.map((m) => m.identity)).toEqual([
      'strategy/mm-paper-btc-usd',
      'strategy/mm-paper-eth-usd',
      'strategy/mm-paper-eur-usd',
      'strategy/mm-paper-sol-usd',
      'strategy/mm-paper-ltc-usd',
    ]);
    expect(plan.arbitrage).toEqual([]);
  });

  it('gives each venue risk limits the risk actor accepts', () => {
    for (const venue of ['binanceus', 'coinbase', 'oanda', 'paper']) {
      const limits = updateRiskLimits(
        emptyRiskLimits(),
        demoRiskLimits(markets.filter((m) => m.venue === venue)),
      );
      expect(limits.maxOpenOrders).toBe(20);
    }
  });
});
