import { InvalidArgumentError } from '../../domain/errors.ts';
import { FixedDecimal } from '../../domain/values/index.ts';
import { ClientIdTable } from './client-id-table.ts';
import type { ClosedOrder } from './closed-order.ts';
import type { InstrumentState } from './instrument-state.ts';
import { PendingSum } from './pending-sum.ts';
import { rawAt } from './paper-instrument.ts';
import type { WorkingOrder } from './working-order.ts';

/**
 * One asset as the engine keeps it: every balance of it is a raw integer at `precision`, fixed when
 * the engine is built so that fills and fees on every instrument using the asset are exact.
 */
export class AssetLedger {
  /** Fees collected, changed by every fill and read only on query (see PendingSum). */
  readonly fees = new PendingSum();
  constructor(
    readonly code: string,
    readonly precision: number,
  ) {}

  /** Fees the engine has collected in this asset, raw at `precision`. */
  get feesCollected(): bigint {
    return this.fees.value;
  }
}

/** One account's holding of one asset, raw at the asset's precision. Never negative. */
export class AssetBalance {
  /** Free funds, changed by every lock, release and fill and compared once per submit (see PendingSum). */
  readonly freeSum = new PendingSum();
  /** Locked funds, changed by every lock, release and fill and read only on query (see PendingSum). */
  readonly lockedSum = new PendingSum();
  /** Command mark of the last change, to list changed balances once per command. */
  mark = 0;
  constructor(
    readonly accountId: string,
    readonly asset: AssetLedger,
  ) {}

  get free(): bigint {
    return this.freeSum.value;
  }

  get locked(): bigint {
    return this.lockedSum.value;
  }
}

/** An account's two balances for one instrument, looked up once per order instead of per fill. */
export class AccountPair {
  /** Orders of this account resting on this instrument's book (self-trade checks skip work when zero). */
  resting = 0;
  constructor(
    readonly account: Account,
    readonly instrument: InstrumentState,
    readonly base: AssetBalance,
    readonly quote: AssetBalance,
  ) {}
}

export class Account {
  readonly balances = new Map<string, AssetBalance>();
  /** Indexed by InstrumentState.index. */
  readonly pairs: (AccountPair | undefined)[] = [];
  /** The latest order with each client order id, open or still retained. */
  readonly byClientId = new ClientIdTable<WorkingOrder | ClosedOrder>();
  /** Open orders (resting and pending stops); the orders themselves are listed by OrderSlots.openOf. */
  openCount = 0;

  /** `briefRetention`: the account's closed orders are kept only for the engine's short window. */
  constructor(
    readonly id: string,
    readonly briefRetention = false,
  ) {}

  balance(asset: AssetLedger): AssetBalance {
    let balance = this.balances.get(asset.code);
    if (balance === undefined) {
      balance = new AssetBalance(this.id, asset);
      this.balances.set(asset.code, balance);
    }
    return balance;
  }

  pair(instrument: InstrumentState): AccountPair {
    let pair = this.pairs[instrument.index];
    if (pair === undefined) {
      pair = new AccountPair(
        this,
        instrument,
        this.balance(instrument.baseAsset),
        this.balance(instrument.quoteAsset),
      );
      this.pairs[instrument.index] = pair;
    }
    return pair;
  }
}

/** Validates a deposit or withdrawal: a known asset and a positive amount that fits its ledger precision. */
export function ledgerAmount(
  assets: ReadonlyMap<string, AssetLedger>,
  accountId: string,
  asset: string,
  amount: FixedDecimal | string,
): { ledger: AssetLedger; raw: bigint } {
  if (typeof accountId !== 'string' || accountId.length === 0) {
    throw new InvalidArgumentError('accountId', 'must be a non-empty string');
  }
  const ledger = assets.get(asset);
  if (ledger === undefined) {
    throw new InvalidArgumentError(
      'asset',
      `${JSON.stringify(asset)} is not traded by any instrument of this engine`,
    );
  }
  const value = typeof amount === 'string' ? FixedDecimal.parse(amount, 'amount') : amount;
  if (typeof value?.raw !== 'bigint' || value.raw <= 0n) {
    throw new InvalidArgumentError('amount', `must be greater than zero, got ${String(amount)}`);
  }
  const raw = rawAt(value, ledger.precision);
  if (raw === undefined) {
    throw new InvalidArgumentError(
      'amount',
      `${asset} is kept at ${ledger.precision} decimals, got ${value.toString()}`,
    );
  }
  return { ledger, raw };
}
