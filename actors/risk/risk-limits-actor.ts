import { InvalidArgumentError, emptyRiskLimits, isNinjaError, updateRiskLimits } from '../../domain/index.ts';
import type { RiskLimits } from '../../domain/index.ts';
import { definePersistentActor, jsonCodec } from '../kernel/index.ts';
import type { ActorDefinition, Persisted, ReplyTo } from '../kernel/index.ts';

/** Commands of `risk/<accountId>`: the account's pre-trade limits. */
export type RiskCommand =
  | { readonly type: 'get'; readonly replyTo: ReplyTo<RiskLimits> }
  /** A JSON limits update (see `RiskLimitsUpdateSchema`); a bad one is INVALID_ARGUMENT and changes nothing. */
  | { readonly type: 'update'; readonly update: unknown; readonly replyTo: ReplyTo<RiskLimits> };

/** The journal keeps each accepted update as sent (validated again on replay, so it cannot drift). */
export interface RiskLimitsUpdated {
  readonly type: 'updated';
  readonly update: unknown;
}

export const RiskRequest = {
  get:
    () =>
    (replyTo: ReplyTo<RiskLimits>): RiskCommand => ({ type: 'get', replyTo }),
  update:
    (update: unknown) =>
    (replyTo: ReplyTo<RiskLimits>): RiskCommand => ({ type: 'update', update, replyTo }),
} as const;

/**
 * `risk/<accountId>`: holds the account's `RiskLimits`, event-sourced so a change survives
 * restarts and failover. The checks themselves are pure (`checkNewOrder`) and run inside the order
 * manager; `onChange` tells it (or a cache) about every accepted update.
 */
export function riskLimitsKind(
  onChange?: (accountId: string, limits: RiskLimits) => void,
): ActorDefinition<Persisted<RiskLimits>, RiskCommand> {
  return definePersistentActor<RiskLimits, RiskCommand, RiskLimitsUpdated>({
    kind: 'risk',
    initialState: () => emptyRiskLimits(),
    receive: (limits, command, ctx) => {
      if (command.type === 'get') {
        ctx.reply(command.replyTo, limits);
        return {};
      }
      try {
        updateRiskLimits(limits, command.update); // validate before journaling
      } catch (error) {
        if (!isNinjaError(error)) throw error;
        ctx.logger.info({ err: error }, 'risk limits update refused');
        ctx.fail(command.replyTo, error);
        return {};
      }
      return {
        events: [{ type: 'updated', update: command.update }],
        reply: (next) => {
          ctx.logger.info({ killSwitch: next.killSwitch }, 'risk limits updated');
          onChange?.(ctx.key, next);
          ctx.reply(command.replyTo, next);
        },
      };
    },
    applyEvent: (limits, event) => updateRiskLimits(limits, event.update),
    eventType: (event) => event.type,
    events: jsonCodec<RiskLimitsUpdated>(),
    snapshots: {
      encode: () => {
        throw new InvalidArgumentError('snapshotEvery', 'risk limits are not snapshotted');
      },
      decode: () => {
        throw new InvalidArgumentError('snapshotEvery', 'risk limits are not snapshotted');
      },
    },
    // Updates are rare: replaying them is cheap, so no snapshots.
    snapshotEvery: 0,
  });
}
