import { FixedDecimal, Price, Quantity } from '../../domain/values/index.ts';
import type { FixedPoint } from '../../domain/values/index.ts';
import type { PaperFill, PaperLiquidity } from '../paper/index.ts';

/**
 * A fill kept by a simulator for later queries (Binance.US `myTrades`, Coinbase historical fills)
 * as one flat string: trade id, order id, price, quantity and fee as `raw:precision`, fee asset,
 * liquidity, time. A `PaperFill` with its Price, Quantity, fee and bigint is ≈ 350 bytes; this is
 * ≈ 100, and a fill is read back far less often than it is kept (compact-fill.test.ts).
 */
export type CompactFill = string;

const SEPARATOR = '|';

function exact(value: FixedPoint): string {
  return `${value.raw}:${value.precision}`;
}

function rawOf(text: string): { raw: bigint; precision: number } {
  const colon = text.indexOf(':');
  return { raw: BigInt(text.slice(0, colon)), precision: Number(text.slice(colon + 1)) };
}

export function compactFill(fill: PaperFill): CompactFill {
  // Array.join writes one flat string; a chain of `+` would keep a tree of its parts alive.
  return [
    String(fill.tradeId),
    fill.orderId,
    exact(fill.price),
    exact(fill.quantity),
    exact(fill.fee),
    fill.feeAsset,
    fill.liquidity,
    String(fill.time),
  ].join(SEPARATOR);
}

/** The fill `compactFill` was given, field for field. */
export function expandFill(text: CompactFill): PaperFill {
  const [tradeId, orderId, price, quantity, fee, feeAsset, liquidity, time] = text.split(SEPARATOR) as [
    string,
    string,
    string,
    string,
    string,
    string,
    PaperLiquidity,
    string,
  ];
  const p = rawOf(price);
  const q = rawOf(quantity);
  const f = rawOf(fee);
  return {
    tradeId: BigInt(tradeId),
    orderId,
    price: Price.fromRaw(p.raw, p.precision),
    quantity: Quantity.fromRaw(q.raw, q.precision),
    fee: FixedDecimal.fromRaw(f.raw, f.precision),
    feeAsset,
    liquidity,
    time: Number(time),
  };
}
