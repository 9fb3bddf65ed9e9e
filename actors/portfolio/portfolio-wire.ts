// `portfolio/<accountId>` across nodes: a fill and a balance in wire form (decimals as text), and
// the JSON view of the ledger that reads answer with (the ledger itself never leaves its node).
import { InvalidArgumentError } from '../../domain/errors.ts';
import {
  Money,
  Price,
  averageEntryPrice,
  Quantity,
  parseInstrumentIdParts,
  parseLiquiditySide,
  parseOrderSide,
  parseTradeId,
} from '../../domain/index.ts';
import type { InstrumentId, PortfolioFill, PortfolioLedger } from '../../domain/index.ts';
import { jsonMessageCodec } from '../../cluster/index.ts';
import type { MessageCodec } from '../../cluster/index.ts';
import type { PortfolioCommand } from './portfolio-actor.ts';

export interface MoneyWire {
  readonly amount: string;
  readonly currency: string;
}

export interface PortfolioFillWire {
  readonly instrumentId: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly tradeId: string;
  readonly side: string;
  readonly quantity: string;
  readonly price: string;
  readonly fee: MoneyWire;
  readonly timestamp: number;
  /** MAKER or TAKER; absent from older nodes and journals. */
  readonly liquidity?: string;
}

/** What the portfolio reads answer (GetBalances, GetPositions, GetPnl), decimals as text. */
export interface PortfolioView {
  readonly balances: readonly { readonly venue: string; readonly balance: MoneyWire }[];
  /**
   * Venues where the account was funded (a balance set); elsewhere `balances` are the net flows of
   * its fills only. Absent in views from nodes before this field.
   */
  readonly fundedVenues?: readonly string[];
  readonly fees: readonly { readonly venue: string; readonly fee: MoneyWire }[];
  readonly positions: readonly {
    readonly instrumentId: string;
    /** Signed: long > 0, short < 0. */
    readonly quantity: string;
    /** Average entry price of the open lots; absent while flat. */
    readonly averagePrice?: string;
    readonly realisedPnl: MoneyWire;
    /** Marked to the mid; absent when no mid is known. */
    readonly unrealisedPnl?: MoneyWire;
  }[];
  readonly realisedPnl: readonly MoneyWire[];
  readonly unrealisedPnl: readonly MoneyWire[];
  /** Open positions without a mid (not in `unrealisedPnl`). */
  readonly unmarked: readonly string[];
  readonly fillsBooked: number;
}

const money = (m: Money): MoneyWire => ({ amount: m.toString(), currency: m.currency });

export function toPortfolioFillWire(fill: PortfolioFill): PortfolioFillWire {
  return {
    instrumentId: fill.instrument.id,
    baseAsset: fill.instrument.baseAsset,
    quoteAsset: fill.instrument.quoteAsset,
    tradeId: fill.tradeId,
    side: fill.side,
    quantity: fill.quantity.toString(),
    price: fill.price.toString(),
    fee: money(fill.fee),
    timestamp: fill.timestamp,
    ...(fill.liquidity === undefined ? {} : { liquidity: fill.liquidity }),
  };
}

function record(value: unknown, field: string): Record<string, string | number | MoneyWire | undefined> {
  if (typeof value !== 'object' || value === null) throw new InvalidArgumentError(field, 'must be an object');
  return value as Record<string, string | number | MoneyWire | undefined>;
}

function text(o: Record<string, unknown>, key: string, field: string): string {
  const value = o[key];
  if (typeof value !== 'string') throw new InvalidArgumentError(`${field}.${key}`, 'must be a string');
  return value;
}

function moneyFrom(value: unknown, field: string): Money {
  const o = record(value, field);
  return Money.parse(text(o, 'amount', field), text(o, 'currency', field), `${field}.amount`);
}

export function fromPortfolioFillWire(value: unknown, field = 'fill'): PortfolioFill {
  const o = record(value, field);
  const parts = parseInstrumentIdParts(o['instrumentId'], `${field}.instrumentId`);
  const timestamp = o['timestamp'];
  if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp)) {
    throw new InvalidArgumentError(`${field}.timestamp`, 'must be an integer');
  }
  return {
    instrument: {
      id: parts.id,
      venue: parts.venue,
      baseAsset: text(o, 'baseAsset', field),
      quoteAsset: text(o, 'quoteAsset', field),
    },
    tradeId: parseTradeId(o['tradeId'], `${field}.tradeId`),
    side: parseOrderSide(o['side'], `${field}.side`),
    quantity: Quantity.parse(text(o, 'quantity', field), `${field}.quantity`),
    price: Price.parse(text(o, 'price', field), `${field}.price`),
    fee: moneyFrom(o['fee'], `${field}.fee`),
    timestamp,
    ...(o['liquidity'] === undefined
      ? {}
      : { liquidity: parseLiquiditySide(o['liquidity'], `${field}.liquidity`) }),
  };
}

export function portfolioView(
  ledger: PortfolioLedger,
  mid: (instrumentId: InstrumentId) => Price | undefined,
): PortfolioView {
  const unrealised = ledger.unrealisedPnl(mid);
  return {
    balances: ledger.balances().map((l) => ({ venue: l.venue, balance: money(l.balance) })),
    fundedVenues: ledger.funded(),
    fees: ledger.fees().map((l) => ({ venue: l.venue, fee: money(l.balance) })),
    positions: ledger.positions().map((p) => {
      const one = ledger.unrealisedPnl((id) => (id === p.instrument.id ? mid(id) : undefined));
      const pnl = one.byCurrency.get(p.instrument.quoteAsset);
      const average = averageEntryPrice(p);
      return {
        instrumentId: p.instrument.id,
        quantity: p.quantity.toString(),
        ...(average === undefined ? {} : { averagePrice: average.toString() }),
        realisedPnl: money(p.realisedPnl),
        ...(pnl === undefined ? {} : { unrealisedPnl: money(pnl) }),
      };
    }),
    realisedPnl: [...ledger.realisedPnl().values()].map(money),
    unrealisedPnl: [...unrealised.byCurrency.values()].map(money),
    unmarked: [...unrealised.unmarked],
    fillsBooked: ledger.appliedCount,
  };
}

/** Types other nodes may send: wire fills and balances, and the view. */
export const PORTFOLIO_COMMAND_TYPES: readonly PortfolioCommand['type'][] = ['book-fill', 'view'];

export function portfolioMessageCodec(): MessageCodec<PortfolioCommand> {
  return jsonMessageCodec<PortfolioCommand>({ types: PORTFOLIO_COMMAND_TYPES });
}
