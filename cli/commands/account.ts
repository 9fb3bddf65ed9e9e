import { Command } from 'commander';
import { formatInstrumentId } from '../../sdk/index.ts';
import type { Account, Balance, Money, Position } from '../../sdk/index.ts';
import type { CliContext } from '../context.ts';
import { formatFields, formatTable, isoTime, print } from './client-output.ts';
import type { Column } from './client-output.ts';
import { accountOf, clientOptions, withClient } from './client-session.ts';
import type { ClientFlags } from './client-session.ts';

const ACCOUNT_COLUMNS: readonly Column<Account>[] = [
  { header: 'ACCOUNT ID', cell: (a) => a.accountId },
  { header: 'VENUE', cell: (a) => a.venue },
  { header: 'NAME', cell: (a) => a.name },
  { header: 'CREATED', cell: (a) => isoTime(a.createTime) },
];

const BALANCE_COLUMNS: readonly Column<Balance>[] = [
  { header: 'ASSET', cell: (b) => b.asset },
  { header: 'TOTAL', cell: (b) => b.total, right: true },
  { header: 'AVAILABLE', cell: (b) => b.available, right: true },
  { header: 'LOCKED', cell: (b) => b.locked, right: true },
];

const POSITION_COLUMNS: readonly Column<Position>[] = [
  {
    header: 'INSTRUMENT',
    cell: (p) => (p.instrumentId === undefined ? undefined : formatInstrumentId(p.instrumentId)),
  },
  { header: 'QUANTITY', cell: (p) => p.quantity, right: true },
  { header: 'AVG PRICE', cell: (p) => p.averagePrice, right: true },
  { header: 'REALIZED', cell: (p) => p.realizedPnl, right: true },
  { header: 'UNREALIZED', cell: (p) => p.unrealizedPnl, right: true },
];

type AccountFlags = ClientFlags & { readonly account?: string };

const ACCOUNT_HELP =
  'trading account id (default $NINJA_ACCOUNT, the operator account, or your only account)';

function money(value: Money | undefined): string | undefined {
  return value?.amount === undefined ? undefined : `${value.amount} ${value.currency}`;
}

function accountScoped(name: string, description: string): Command {
  return clientOptions(new Command(name).description(description).option('--account <id>', ACCOUNT_HELP));
}

/** `gekko accounts`: the trading accounts you own. */
export function accountsCommand(context: CliContext): Command {
  return clientOptions(new Command('accounts').description('list your trading accounts')).action(
    async (flags: ClientFlags) => {
      const accounts = await withClient(context, flags, ({ client }) => client.accounts.listAccounts());
      print(context, flags, accounts, () =>
        accounts.length === 0 ? ['no accounts'] : formatTable(ACCOUNT_COLUMNS, accounts),
      );
    },
  );
}

/** `gekko balances`. */
export function balancesCommand(context: CliContext): Command {
  return accountScoped('balances', 'balances of a trading account').action(async (flags: AccountFlags) => {
    const balances = await withClient(context, flags, async (session) =>
      session.client.accounts.getBalances(await accountOf(context, session, flags.account)),
    );
    print(context, flags, balances, () =>
      balances.length === 0 ? ['no balances'] : formatTable(BALANCE_COLUMNS, balances),
    );
  });
}

/** `gekko positions`. */
export function positionsCommand(context: CliContext): Command {
  return accountScoped('positions', 'positions of a trading account').action(async (flags: AccountFlags) => {
    const positions = await withClient(context, flags, async (session) =>
      session.client.accounts.getPositions(await accountOf(context, session, flags.account)),
    );
    print(context, flags, positions, () =>
      positions.length === 0 ? ['no positions'] : formatTable(POSITION_COLUMNS, positions),
    );
  });
}

/** `gekko pnl`. */
export function pnlCommand(context: CliContext): Command {
  return accountScoped('pnl', 'realised and unrealised PnL of a trading account').action(
    async (flags: AccountFlags) => {
      const pnl = await withClient(context, flags, async (session) =>
        session.client.accounts.getPnl(await accountOf(context, session, flags.account)),
      );
      print(context, flags, pnl, () =>
        formatFields([
          ['realized', money(pnl.realizedPnl)],
          ['unrealized', money(pnl.unrealizedPnl)],
          ['fees', money(pnl.fees)],
          ['as of', isoTime(pnl.updateTime)],
        ]),
      );
    },
  );
}
