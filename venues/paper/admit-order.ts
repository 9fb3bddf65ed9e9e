import type { SubmitOrder } from './commands.ts';
import type { InstrumentState } from './instrument-state.ts';
import type { Account } from './ledger.ts';
import type { Matcher } from './matcher.ts';
import { RejectReason } from './reject-reason.ts';
import { refuse } from './validate-submit.ts';
import type { Refusal } from './validate-submit.ts';
import type { OrderValues } from './working-order.ts';

/**
 * The checks that depend on the book and the account, after the filters passed: liquidity for a
 * market order, post-only, fill-or-kill, then funds. Returns what the order must lock (raw at the
 * ledger precision of the quote asset for a buy, the base asset for a sell) or why it is refused.
 */
export function admit(
  instrument: InstrumentState,
  cmd: SubmitOrder,
  values: OrderValues,
  account: Account | undefined,
  matcher: Matcher,
): bigint | Refusal {
  const isBuy = cmd.side === 'BUY';
  const book = instrument.book;
  const opposite = isBuy ? book.asks.best() : book.bids.best();
  if (cmd.type === 'MARKET' && opposite === undefined) {
    return refuse(RejectReason.NO_LIQUIDITY, 'the opposite side of the book is empty');
  }
  if (
    cmd.postOnly === true &&
    opposite !== undefined &&
    (isBuy ? opposite.price <= values.price : opposite.price >= values.price)
  ) {
    return refuse(RejectReason.POST_ONLY_WOULD_TAKE, 'a post-only order would take liquidity');
  }
  const isLimit = cmd.type === 'LIMIT';
  if (cmd.timeInForce === 'FOK' && (isLimit || cmd.type === 'MARKET')) {
    const fillable = matcher.walk(instrument, isBuy, account, isLimit, values.price, values.quantity);
    if (fillable < values.quantity) {
      return refuse(RejectReason.FOK_NOT_FILLABLE, 'the book cannot fill the whole quantity now');
    }
  }
  let lock: bigint;
  if (!isBuy) lock = instrument.toBaseLedger(values.quantity);
  else if (values.quoteRemaining >= 0n) lock = values.quoteRemaining;
  else if (values.price !== 0n) lock = instrument.toQuoteLedger(values.notional);
  else if (cmd.type === 'MARKET') {
    matcher.walk(instrument, true, account, false, 0n, values.quantity);
    lock = instrument.toQuoteLedger(matcher.walkCost);
  } else lock = 0n; // a STOP buy by quantity is priced and locked when it triggers
  const lockAsset = isBuy ? instrument.quoteAsset : instrument.baseAsset;
  const balance = account?.balances.get(lockAsset.code);
  // No balance yet: nothing is free.
  if (balance === undefined ? lock > 0n : balance.freeSum.isBelow(lock)) {
    return refuse(
      RejectReason.INSUFFICIENT_BALANCE,
      `the order needs more free ${lockAsset.code} than the account has`,
    );
  }
  return lock;
}
