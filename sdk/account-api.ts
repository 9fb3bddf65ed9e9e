import { AccountServiceService } from './internal.ts';
import {
  accountOut,
  balanceOut,
  pnlOut,
  positionOut,
  riskLimitsIn,
  riskLimitsOut,
} from './convert-messages.ts';
import type { GatewayConnection } from './gateway-connection.ts';
import { Idempotency } from './retry-policy.ts';
import type { Account, Balance, KillSwitchInput, Pnl, Position, RiskLimits } from './types.ts';

// Every AccountService method is idempotent: reads, and setters that replace a whole value.
const CALL = { authenticated: true, idempotency: Idempotency.IDEMPOTENT } as const;

/** AccountService: the caller's trading accounts, balances, positions, PnL and risk controls. */
export class AccountApi {
  constructor(private readonly connection: GatewayConnection) {}

  async listAccounts(): Promise<Account[]> {
    const response = await this.connection.unary(AccountServiceService.listAccounts, {}, CALL);
    return response.accounts.map((account) => accountOut(account));
  }

  async getBalances(accountId: string): Promise<Balance[]> {
    const response = await this.connection.unary(AccountServiceService.getBalances, { accountId }, CALL);
    return response.balances.map((balance) => balanceOut(balance));
  }

  async getPositions(accountId: string): Promise<Position[]> {
    const response = await this.connection.unary(AccountServiceService.getPositions, { accountId }, CALL);
    return response.positions.map((position) => positionOut(position));
  }

  async getPnl(accountId: string): Promise<Pnl> {
    return pnlOut(await this.connection.unary(AccountServiceService.getPnl, { accountId }, CALL));
  }

  /** Replaces the account's limits; a limit left out is removed. */
  async setRiskLimits(accountId: string, limits: RiskLimits): Promise<RiskLimits> {
    const response = await this.connection.unary(
      AccountServiceService.setRiskLimits,
      { accountId, limits: riskLimitsIn(limits) },
      CALL,
    );
    return riskLimitsOut(response.limits);
  }

  /** Engages (every new order rejected) or releases the account's kill switch. */
  async setKillSwitch(input: KillSwitchInput): Promise<boolean> {
    const response = await this.connection.unary(
      AccountServiceService.setKillSwitch,
      {
        accountId: input.accountId,
        engaged: input.engaged,
        cancelOpenOrders: input.cancelOpenOrders ?? false,
        reason: input.reason ?? '',
        clusterWide: false,
      },
      CALL,
    );
    return response.engaged;
  }

  /**
   * Engages or releases the cluster-wide kill switch (admin scope): while engaged, every account's
   * new orders are refused on every node and only cancels pass.
   */
  async setClusterKillSwitch(engaged: boolean, reason = ''): Promise<boolean> {
    const response = await this.connection.unary(
      AccountServiceService.setKillSwitch,
      { accountId: '', engaged, cancelOpenOrders: false, reason, clusterWide: true },
      CALL,
    );
    return response.engaged;
  }
}
