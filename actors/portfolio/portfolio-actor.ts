import {
  FailedPreconditionError,
  FillRecall,
  InternalError,
  InvalidArgumentError,
  Money,
  PortfolioLedger,
  Price,
  Quantity,
  parseInstrumentIdParts,
  parseOrderSide,
  parseTradeId,
  parseVenueId,
} from '../../domain/index.ts';
import { isNinjaError } from '../../domain/index.ts';
import type { InstrumentId, PortfolioFill, PortfolioLedgerOptions, VenueId } from '../../domain/index.ts';
import { fromPortfolioFillWire, portfolioView } from './portfolio-wire.ts';
import type { PortfolioFillWire, PortfolioView } from './portfolio-wire.ts';
import { definePersistentActor, jsonCodec } from '../kernel/index.ts';
import type { MetricsRegistry } from '../../observability/index.ts';
import type { ActorContext, ActorDefinition, Persisted, PersistentEffect, ReplyTo } from '../kernel/index.ts';

/** Commands of `portfolio/<accountId>`. */
export type PortfolioCommand =
  /** Books a fill; a repeat (same instrument and trade id) changes nothing. Replies whether it was new. */
  | { readonly type: 'fill'; readonly fill: PortfolioFill; readonly replyTo?: ReplyTo<boolean> }
  /** Sets a balance (deposit, onboarding from the venue's figure). */
  | {
      readonly type: 'set-balance';
      readonly venue: VenueId;
      readonly amount: Money;
      readonly replyTo?: ReplyTo<true>;
    }
  /** The ledger itself, for reads inside this process (a copy is not made: treat it as read-only). */
  | { readonly type: 'get'; readonly replyTo: ReplyTo<PortfolioLedger> }
  /** `fill` in wire form, as it comes from another node (the order manager's publication). */
  | { readonly type: 'book-fill'; readonly fill: PortfolioFillWire; readonly replyTo?: ReplyTo<boolean> }
  /** The ledger as JSON (balances, positions, PnL marked to the mids), for any node. */
  | { readonly type: 'view'; readonly replyTo: ReplyTo<PortfolioView> };

interface MoneyJson {
  readonly amount: string;
  readonly currency: string;
}

export type PortfolioEvent =
  | {
      readonly type: 'fill';
      readonly instrumentId: string;
      readonly baseAsset: string;
      readonly quoteAsset: string;
      readonly tradeId: string;
      readonly side: string;
      readonly quantity: string;
      readonly price: string;
      readonly fee: MoneyJson;
      readonly timestamp: number;
    }
  | { readonly type: 'balance'; readonly venue: string; readonly amount: MoneyJson };

export const PortfolioRequest = {
  get:
    () =>
    (replyTo: ReplyTo<PortfolioLedger>): PortfolioCommand => ({ type: 'get', replyTo }),
  fill:
    (fill: PortfolioFill) =>
    (replyTo: ReplyTo<boolean>): PortfolioCommand => ({ type: 'fill', fill, replyTo }),
  view:
    () =>
    (replyTo: ReplyTo<PortfolioView>): PortfolioCommand => ({ type: 'view', replyTo }),
} as const;

/** What the portfolio reads besides its journal: the mid of an instrument (unrealised PnL). */
export interface PortfolioDeps {
  readonly mid?: (instrumentId: InstrumentId) => Price | undefined;
  /**
   * Whether the journal of `portfolio/<accountId>` (`identity`) holds a fill of this trade: asked
   * only for a fill as old as fills the ledger no longer remembers (journaledFillLookup). Absent,
   * such a fill is refused (FAILED_PRECONDITION) rather than perhaps booked twice.
   */
  readonly journaledFill?: (
    identity: string,
    fill: Pick<PortfolioFill, 'instrument' | 'tradeId'>,
  ) => Promise<boolean>;
  /** How many booked fills the ledger remembers (default DEFAULT_REMEMBERED_FILLS). */
  readonly ledger?: PortfolioLedgerOptions;
  /** Where `ninja_portfolio_fills_total` and view failures are counted; absent, nothing is. */
  readonly metrics?: MetricsRegistry;
}

/** What became of a fill sent to a portfolio; "old" is as old as fills the ledger no longer remembers. */
const FillOutcome = {
  BOOKED: 'booked',
  REPEAT: 'repeat',
  OLD_BOOKED: 'old-booked',
  OLD_REPEAT: 'old-repeat',
  OLD_REFUSED: 'old-refused',
  MALFORMED: 'malformed',
} as const;
type FillOutcome = (typeof FillOutcome)[keyof typeof FillOutcome];
type CountFill = (outcome: FillOutcome) => void;

function fillCounter(metrics: MetricsRegistry | undefined): CountFill {
  if (metrics === undefined) return () => undefined;
  const fills = metrics.counter({
    name: 'ninja_portfolio_fills_total',
    help: 'Fills sent to portfolios by outcome (booked, repeat, old-booked, old-repeat, old-refused, malformed)',
    labelNames: ['outcome'],
  });
  return (outcome) => fills.inc({ outcome });
}

function viewFailureCounter(metrics: MetricsRegistry | undefined): () => void {
  if (metrics === undefined) return () => undefined;
  const failures = metrics.counter({
    name: 'ninja_portfolio_view_failures_total',
    help: 'Portfolio views (positions, PnL) that failed; the caller got the error, the ledger was unchanged',
  });
  return () => failures.inc();
}

/**
 * The view of the ledger marked to `mid`, or, when building it throws (a mid source failing), the
 * error to the caller: a read never restarts the actor (a restart would recover the journal again,
 * and a failing mid source would escalate the portfolio to its node within seconds).
 */
function answerView(
  ledger: PortfolioLedger,
  mid: (instrumentId: InstrumentId) => Price | undefined,
  replyTo: ReplyTo<PortfolioView>,
  ctx: ActorContext<PortfolioCommand>,
  countFailure: () => void,
): void {
  let view: PortfolioView;
  try {
    view = portfolioView(ledger, mid);
  } catch (error) {
    const failure =
      error instanceof Error ? error : new InternalError('the portfolio view failed', { cause: error });
    ctx.logger.error({ err: failure }, 'portfolio view failed; the ledger is unchanged');
    countFailure();
    ctx.fail(replyTo, failure);
    return;
  }
  ctx.reply(replyTo, view);
}

function fillEvent(fill: PortfolioFill): PortfolioEvent {
  return {
    type: 'fill',
    instrumentId: fill.instrument.id,
    baseAsset: fill.instrument.baseAsset,
    quoteAsset: fill.instrument.quoteAsset,
    tradeId: fill.tradeId,
    side: fill.side,
    quantity: fill.quantity.toString(),
    price: fill.price.toString(),
    fee: { amount: fill.fee.toString(), currency: fill.fee.currency },
    timestamp: fill.timestamp,
  };
}

function apply(ledger: PortfolioLedger, event: PortfolioEvent): PortfolioLedger {
  if (event.type === 'balance') {
    ledger.setBalance(parseVenueId(event.venue), Money.parse(event.amount.amount, event.amount.currency));
    return ledger;
  }
  const parts = parseInstrumentIdParts(event.instrumentId);
  ledger.apply({
    instrument: {
      id: parts.id,
      venue: parts.venue,
      baseAsset: event.baseAsset,
      quoteAsset: event.quoteAsset,
    },
    tradeId: parseTradeId(event.tradeId),
    side: parseOrderSide(event.side),
    quantity: Quantity.parse(event.quantity),
    price: Price.parse(event.price),
    fee: Money.parse(event.fee.amount, event.fee.currency, 'fee'),
    timestamp: event.timestamp,
  });
  return ledger;
}

type FillEffect = PersistentEffect<PortfolioLedger, PortfolioEvent>;

function bookFill(
  fill: PortfolioFill,
  replyTo: ReplyTo<boolean> | undefined,
  ctx: ActorContext<PortfolioCommand>,
): FillEffect {
  return {
    events: [fillEvent(fill)],
    reply: () => {
      if (replyTo !== undefined) ctx.reply(replyTo, true);
    },
  };
}

function alreadyBooked(
  fill: PortfolioFill,
  replyTo: ReplyTo<boolean> | undefined,
  ctx: ActorContext<PortfolioCommand>,
): FillEffect {
  ctx.logger.debug({ tradeId: fill.tradeId }, 'fill already booked');
  if (replyTo !== undefined) ctx.reply(replyTo, false);
  return {};
}

/**
 * A fill as old as fills the ledger has forgotten: booked only if the journal does not hold it.
 * The actor takes no other message meanwhile, so nothing is booked between the read and the append.
 */
async function bookOldFill(
  deps: PortfolioDeps,
  count: CountFill,
  fill: PortfolioFill,
  replyTo: ReplyTo<boolean> | undefined,
  ctx: ActorContext<PortfolioCommand>,
): Promise<FillEffect> {
  const lookup = deps.journaledFill;
  if (lookup === undefined) {
    const error = new FailedPreconditionError(
      `fill ${fill.tradeId} of ${fill.instrument.id} is older than the fills the ledger remembers, and this portfolio cannot read its journal to tell whether it was booked`,
      { details: { instrumentId: fill.instrument.id, tradeId: fill.tradeId, timestamp: fill.timestamp } },
    );
    ctx.logger.error({ err: error }, 'old fill refused: not booked');
    count(FillOutcome.OLD_REFUSED);
    if (replyTo !== undefined) ctx.fail(replyTo, error);
    return {};
  }
  const journaled = await lookup(ctx.identity, fill);
  ctx.logger.info(
    { instrumentId: fill.instrument.id, tradeId: fill.tradeId, journaled },
    'fill older than the remembered ones checked against the journal',
  );
  count(journaled ? FillOutcome.OLD_REPEAT : FillOutcome.OLD_BOOKED);
  return journaled ? alreadyBooked(fill, replyTo, ctx) : bookFill(fill, replyTo, ctx);
}

/**
 * `portfolio/<accountId>`: positions, balances, fees and PnL of one account, event-sourced and fed
 * by fills from `orders/<accountId>`. Fills are deduplicated before they are journaled, so the
 * journal holds each trade once and replay rebuilds the same ledger (docs/trading.md).
 */
export function portfolioKind(
  deps: PortfolioDeps = {},
): ActorDefinition<Persisted<PortfolioLedger>, PortfolioCommand> {
  const mid = deps.mid ?? (() => undefined);
  const ledgerOptions = deps.ledger ?? {};
  const count = fillCounter(deps.metrics);
  const countViewFailure = viewFailureCounter(deps.metrics);
  return definePersistentActor<PortfolioLedger, PortfolioCommand, PortfolioEvent>({
    kind: 'portfolio',
    initialState: () => new PortfolioLedger(ledgerOptions),
    receive: (ledger, command, ctx) => {
      switch (command.type) {
        case 'get':
          ctx.reply(command.replyTo, ledger);
          return {};
        case 'view':
          answerView(ledger, mid, command.replyTo, ctx, countViewFailure);
          return {};
        case 'fill':
        case 'book-fill': {
          const replyTo = command.replyTo;
          let fill: PortfolioFill;
          try {
            fill = command.type === 'fill' ? command.fill : fromPortfolioFillWire(command.fill);
          } catch (error) {
            if (!isNinjaError(error)) throw error;
            ctx.logger.warn({ err: error }, 'malformed fill refused');
            count(FillOutcome.MALFORMED);
            if (replyTo !== undefined) ctx.fail(replyTo, error);
            return {};
          }
          const recalled = ledger.recall(fill);
          if (recalled === FillRecall.UNKNOWN) return bookOldFill(deps, count, fill, replyTo, ctx);
          count(recalled === FillRecall.BOOKED ? FillOutcome.REPEAT : FillOutcome.BOOKED);
          if (recalled === FillRecall.BOOKED) return alreadyBooked(fill, replyTo, ctx);
          return bookFill(fill, replyTo, ctx);
        }
        case 'set-balance': {
          const replyTo = command.replyTo;
          return {
            events: [
              {
                type: 'balance',
                venue: command.venue,
                amount: { amount: command.amount.toString(), currency: command.amount.currency },
              },
            ],
            reply: () => {
              if (replyTo !== undefined) ctx.reply(replyTo, true);
            },
          };
        }
      }
    },
    applyEvent: apply,
    eventType: (event) => event.type,
    events: jsonCodec<PortfolioEvent>(),
    snapshots: {
      encode: () => {
        throw new InvalidArgumentError('snapshotEvery', 'the portfolio has no snapshot format yet');
      },
      decode: () => {
        throw new InvalidArgumentError('snapshotEvery', 'the portfolio has no snapshot format yet');
      },
    },
    // No ledger snapshot format yet: recovery replays every fill (see docs/trading.md, known limits).
    snapshotEvery: 0,
  });
}
