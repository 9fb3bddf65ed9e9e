// The `route_plans` table (migrations/0003_route_plans): every smart-routed order's plan, written
// before any of its child orders is sent, so the plan is on record whatever happens next and a
// retry with the same plan id replays the same children instead of planning again.
import type pg from 'pg';
import { AlreadyExistsError, DataLossError } from '../domain/index.ts';

/** The request as the router received it (decimals as text). */
export interface RouteRequestRecord {
  readonly base: string;
  readonly quote: string;
  readonly side: 'BUY' | 'SELL';
  readonly quantity: string;
  readonly limitPrice?: string;
  /** The accounts asked for; empty = every account of the user whose venue lists the market. */
  readonly accountIds: readonly string[];
}

/** One child order of a plan (decimals as text). */
export interface RouteLegRecord {
  readonly index: number;
  readonly accountId: string;
  readonly venue: string;
  readonly instrumentId: string;
  /** The child's idempotency key, derived from the plan id and the leg index. */
  readonly clientOrderId: string;
  readonly quantity: string;
  readonly limitPrice: string;
  readonly expectedNotional: string;
  readonly expectedFee: string;
}

export interface RouteSummaryRecord {
  readonly planned: string;
  readonly unfilled: string;
  readonly unfilledReason?: string;
  readonly expectedAveragePrice?: string;
  readonly expectedNotional: string;
  readonly expectedFees: string;
  readonly skipped: readonly { readonly venue: string; readonly reason: string }[];
  /** Sequence of each book the plan was made from, by venue. */
  readonly bookSequences: Readonly<Record<string, number>>;
}

export interface RoutePlanRecord {
  readonly id: string;
  readonly userId: string;
  readonly request: RouteRequestRecord;
  readonly legs: readonly RouteLegRecord[];
  readonly summary: RouteSummaryRecord;
  readonly createdAt: Date;
}

interface RoutePlanRow {
  id: string;
  user_id: string;
  request: RouteRequestRecord;
  legs: RouteLegRecord[];
  summary: RouteSummaryRecord;
  created_at: Date;
}

const fromRow = (row: RoutePlanRow): RoutePlanRecord => ({
  id: row.id,
  userId: row.user_id,
  request: row.request,
  legs: row.legs,
  summary: row.summary,
  createdAt: row.created_at,
});

const COLUMNS = 'id, user_id, request, legs, summary, created_at';

export class RoutePlanStore {
  constructor(private readonly pool: pg.Pool) {}

  /** The user's plan with this id; undefined when there is none. AlreadyExistsError when the id is another user's. */
  async find(userId: string, planId: string): Promise<RoutePlanRecord | undefined> {
    const result = await this.pool.query<RoutePlanRow>(`SELECT ${COLUMNS} FROM route_plans WHERE id = $1`, [
      planId,
    ]);
    const row = result.rows[0];
    if (row === undefined) return undefined;
    if (row.user_id !== userId) throw new AlreadyExistsError(`route plan id ${planId} is already taken`);
    return fromRow(row);
  }

  /**
   * Records a plan. When a plan with the same id was recorded meanwhile (a concurrent retry), that
   * one is returned and `created` is false: the caller must place its legs, not the new ones.
   */
  async record(
    plan: Omit<RoutePlanRecord, 'createdAt'>,
  ): Promise<{ readonly plan: RoutePlanRecord; readonly created: boolean }> {
    const result = await this.pool.query<RoutePlanRow>(
      `INSERT INTO route_plans (id, user_id, request, legs, summary) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO NOTHING RETURNING ${COLUMNS}`,
      [
        plan.id,
        plan.userId,
        JSON.stringify(plan.request),
        JSON.stringify(plan.legs),
        JSON.stringify(plan.summary),
      ],
    );
    const row = result.rows[0];
    if (row !== undefined) return { plan: fromRow(row), created: true };
    const existing = await this.find(plan.userId, plan.id);
    if (existing === undefined) {
      throw new DataLossError(`route plan ${plan.id}: INSERT conflicted but no row is there`);
    }
    return { plan: existing, created: false };
  }
}
