import { InvalidArgumentError } from '../../../../domain/errors.ts';
import { FixedDecimal, Price, Quantity } from '../../../../domain/values/index.ts';
import type { PaperInstrumentSpec } from '../../../paper/index.ts';

/** A simulated product: the engine's instrument (id = the product id, e.g. BTC-USD) plus a reference price. */
export interface SimProduct {
  readonly spec: PaperInstrumentSpec;
  readonly referencePrice: Price;
  readonly quoteMinSize: string;
  readonly baseMaxSize: string;
}

interface Template {
  readonly quoteIncrement: string;
  readonly baseIncrement: string;
  readonly baseMinSize: string;
  readonly baseMaxSize: string;
  readonly quoteMinSize: string;
  readonly reference: string;
}

// Increments shaped like Coinbase's own BTC-USD / ETH-USD products.
const KNOWN: Readonly<Record<string, Template>> = {
  BTC: {
    quoteIncrement: '0.01',
    baseIncrement: '0.00000001',
    baseMinSize: '0.00000001',
    baseMaxSize: '3400',
    quoteMinSize: '1',
    reference: '30000.00',
  },
  ETH: {
    quoteIncrement: '0.01',
    baseIncrement: '0.00000001',
    baseMinSize: '0.00000001',
    baseMaxSize: '38000',
    quoteMinSize: '1',
    reference: '2000.00',
  },
};
const GENERIC: Template = {
  quoteIncrement: '0.0001',
  baseIncrement: '0.01',
  baseMinSize: '0.01',
  baseMaxSize: '1000000',
  quoteMinSize: '1',
  reference: '10.0000',
};

/** The simulator's product for a Coinbase product id such as BTC-USD. */
export function simProduct(productId: string): SimProduct {
  const m = /^([A-Z0-9]{2,10})-([A-Z0-9]{2,10})$/.exec(productId);
  if (m === null)
    throw new InvalidArgumentError('symbols', `${productId} is not a Coinbase product id (BASE-QUOTE)`);
  const base = m[1] as string;
  const quote = m[2] as string;
  const t = KNOWN[base] ?? GENERIC;
  return {
    spec: {
      id: productId,
      symbol: productId,
      base,
      quote,
      tickSize: Price.parse(t.quoteIncrement),
      stepSize: Quantity.parse(t.baseIncrement),
      minQty: Quantity.parse(t.baseMinSize),
      maxQty: Quantity.parse(t.baseMaxSize),
      minNotional: FixedDecimal.parse(t.quoteMinSize),
    },
    referencePrice: Price.parse(t.reference),
    quoteMinSize: t.quoteMinSize,
    baseMaxSize: t.baseMaxSize,
  };
}

/** `GET /products/{id}` body. */
export function productBody(p: SimProduct, lastPrice: Price | undefined): Record<string, unknown> {
  const s = p.spec;
  return {
    product_id: s.symbol,
    price: (lastPrice ?? p.referencePrice).toString(),
    price_percentage_change_24h: '0',
    volume_24h: '0',
    volume_percentage_change_24h: '0',
    base_increment: s.stepSize.toString(),
    quote_increment: s.tickSize.toString(),
    quote_min_size: p.quoteMinSize,
    quote_max_size: '50000000',
    base_min_size: s.minQty.toString(),
    base_max_size: p.baseMaxSize,
    base_name: s.base,
    quote_name: s.quote,
    watched: false,
    is_disabled: false,
    new: false,
    status: 'online',
    cancel_only: false,
    limit_only: false,
    post_only: false,
    trading_disabled: false,
    auction_mode: false,
    product_type: 'SPOT',
    quote_currency_id: s.quote,
    base_currency_id: s.base,
    base_display_symbol: s.base,
    quote_display_symbol: s.quote,
    price_increment: s.tickSize.toString(),
  };
}
