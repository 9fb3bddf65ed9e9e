import { Command } from 'commander';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { formatInstrumentId } from '../../sdk/index.ts';
import type { Account, Balance, Money, Position } from '../../sdk/index.ts';
import type { CliContext } from '../context.ts';
import { shownDecimal } from '../../domain/values/decimal-text.ts';
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
  { header: 'TOTAL', cell: (b) => b.total, decimal: true },
  { header: 'AVAILABLE', cell: (b) => b.available, decimal: true },
  { header: 'LOCKED', cell: (b) => b.locked, decimal: true },
  // An account trading on its venue connection's shared funds: the total is the net of its fills.
  { header: 'BASIS', cell: (b) => (b.funded ? 'funded' : 'net of fills') },
];

const POSITION_COLUMNS: readonly Column<Position>[] = [
  {
    header: 'INSTRUMENT',
    cell: (p) => (p.instrumentId === undefined ? undefined : formatInstrumentId(p.instrumentId)),
  },
  { header: 'QUANTITY', cell: (p) => p.quantity, decimal: true },
  { header: 'AVG PRICE', cell: (p) => p.averagePrice, decimal: true },
  { header: 'REALIZED', cell: (p) => p.realizedPnl, decimal: true },
  { header: 'UNREALIZED', cell: (p) => p.unrealizedPnl, decimal: true },
];

type AccountFlags = ClientFlags & { readonly account?: string };

const ACCOUNT_HELP =
  'trading account id (default $NINJA_ACCOUNT, the operator account, or your only account)';

/** An exact amount without the zeros its precision pads it with, e.g. `0.09183294 USD`. */
function money(value: Money): string {
  return value.amount === undefined
    ? `? ${value.currency}`
    : `${shownDecimal(value.amount)} ${value.currency}`;
}

/** Amounts in several currencies on one line, e.g. `0.00002 BTC, 1.25 USD`; `none` for no amount yet. */
function moneyList(values: readonly Money[]): string {
  return values.length === 0 ? 'none' : values.map(money).join(', ');
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
      const { accountId, pnl } = await withClient(context, flags, async (session) => {
        const account = await accountOf(context, session, flags.account);
        return { accountId: account, pnl: await session.client.accounts.getPnl(account) };
      });
      print(context, flags, pnl, () =>
        formatFields([
          ['account', accountId],
          ['realized', moneyList(pnl.realizedPnlByCurrency)],
          ['unrealized', moneyList(pnl.unrealizedPnlByCurrency)],
          ['fees', moneyList(pnl.feesByCurrency)],
          ['as of', isoTime(pnl.updateTime)],
        ]),
      );
    },
  );
}

type KillSwitchFlags = AccountFlags & {
  readonly cluster?: boolean;
  readonly cancelOpenOrders?: boolean;
  readonly reason?: string;
};

/** `gekko kill-switch on|off`: an account's kill switch, or the cluster-wide one (admin). */
export function killSwitchCommand(context: CliContext): Command {
  return accountScoped(
    'kill-switch',
    'engage (on) or release (off) a kill switch: only cancels pass while on',
  )
    .argument('<state>', 'on or off')
    .option('--cluster', 'the cluster-wide switch (every account; needs the admin scope)')
    .option('--cancel-open-orders', 'when engaging an account switch: also cancel its open orders')
    .option('--reason <text>', 'recorded in the audit log (at most 256 characters)')
    .action(async (state: string, flags: KillSwitchFlags) => {
      if (state !== 'on' && state !== 'off') {
        throw new InvalidArgumentError('state', `must be on or off, got ${JSON.stringify(state)}`);
      }
      const cluster = flags.cluster === true;
      if (cluster && (flags.account !== undefined || flags.cancelOpenOrders === true)) {
        throw new InvalidArgumentError(
          '--cluster',
          'cannot be combined with --account or --cancel-open-orders',
        );
      }
      const engaged = state === 'on';
      const result = await withClient(context, flags, async (session) => {
        if (cluster) {
          return {
            scope: 'cluster',
            engaged: await session.client.accounts.setClusterKillSwitch(engaged, flags.reason),
          };
        }
        const accountId = await accountOf(context, session, flags.account);
        return {
          scope: accountId,
          engaged: await session.client.accounts.setKillSwitch({
            accountId,
            engaged,
            ...(flags.cancelOpenOrders === true ? { cancelOpenOrders: true } : {}),
            ...(flags.reason === undefined ? {} : { reason: flags.reason }),
          }),
        };
      });
      print(context, flags, result, () => [
        `kill switch of ${result.scope === 'cluster' ? 'the cluster' : `account ${result.scope}`}: ${result.engaged ? 'ENGAGED (only cancels pass)' : 'released'}`,
      ]);
    });
}
