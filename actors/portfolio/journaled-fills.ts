import type pg from 'pg';
import type { PortfolioFill } from '../../domain/index.ts';

/**
 * `PortfolioDeps.journaledFill` over the actor journal in PostgreSQL: whether a portfolio's journal
 * holds a `fill` event of this instrument and trade id. It reads the whole account's journal rows
 * (events are UTF-8 JSON, not indexed by content), which is why the portfolio asks only for a fill
 * as old as fills its ledger has forgotten.
 */
export function journaledFillLookup(
  pool: pg.Pool,
): (identity: string, fill: Pick<PortfolioFill, 'instrument' | 'tradeId'>) => Promise<boolean> {
  return async (identity, fill) => {
    const result = await pool.query(
      `SELECT 1 FROM actor_journal
       WHERE identity = $1 AND event_type = 'fill'
         AND convert_from(payload, 'UTF8')::jsonb @> $2::jsonb
       LIMIT 1`,
      [identity, JSON.stringify({ instrumentId: fill.instrument.id, tradeId: fill.tradeId })],
    );
    return result.rows.length > 0;
  };
}
