import type { FixedDecimal, Price } from '../../../domain/values/index.ts';
import type { OandaOrderState } from './enums.ts';

/** An Order as GET .../orders returns it (the fields the connector uses). */
export interface OandaOrder {
  readonly id: string;
  readonly type: string;
  readonly state: OandaOrderState;
  /** Absent on dependent orders (TAKE_PROFIT, STOP_LOSS ...), which name a trade instead. */
  readonly instrument?: string;
  readonly units?: FixedDecimal;
  readonly price?: Price;
  readonly timeInForce?: string;
  readonly gtdTime?: number;
  readonly clientOrderId?: string;
  readonly createTime: number;
  /** The latest of filledTime / cancelledTime / createTime. */
  readonly updateTime: number;
  readonly fillingTransactionId?: string;
  readonly cancellingTransactionId?: string;
}
