import type { FixedDecimal } from '../../../../domain/values/index.ts';
import { rfc3339 } from './format.ts';
import type { SimInstrument } from './instruments.ts';

export type SimOrderState = 'PENDING' | 'FILLED' | 'TRIGGERED' | 'CANCELLED';

/** One order of the simulated account, as the v20 Order endpoints report it. */
export interface SimOrder {
  /** The id of its create transaction. */
  readonly id: string;
  readonly clientId: string | undefined;
  readonly instrument: SimInstrument;
  readonly type: 'MARKET' | 'LIMIT' | 'STOP';
  /** Signed units as sent (positive buy, negative sell). */
  readonly units: FixedDecimal;
  readonly timeInForce: string;
  readonly price: string | undefined;
  readonly priceBound: string | undefined;
  /** Epoch ms (GTD, and GFD: the end of the UTC day). */
  readonly expiresAt: number | undefined;
  readonly positionFill: string;
  readonly createTime: number;
  state: SimOrderState;
  filled: FixedDecimal;
  filledTime?: number;
  fillingTransactionID?: string;
  cancelledTime?: number;
  cancellingTransactionID?: string;
  /** The engine's id while the engine holds it. */
  engineOrderId?: string;
}

/** The Order object of GET .../orders. */
export function orderBody(o: SimOrder): Record<string, unknown> {
  const body: Record<string, unknown> = {
    id: o.id,
    createTime: rfc3339(o.createTime),
    type: o.type,
    instrument: o.instrument.name,
    units: o.units.toString(),
    timeInForce: o.timeInForce,
    positionFill: o.positionFill,
    state: o.state,
  };
  if (o.price !== undefined) body['price'] = o.price;
  if (o.priceBound !== undefined) body['priceBound'] = o.priceBound;
  if (o.type !== 'MARKET') {
    body['triggerCondition'] = 'DEFAULT';
    body['partialFill'] = 'DEFAULT_FILL';
  }
  if (o.timeInForce === 'GTD' && o.expiresAt !== undefined) body['gtdTime'] = rfc3339(o.expiresAt);
  if (o.clientId !== undefined) body['clientExtensions'] = { id: o.clientId };
  if (o.filledTime !== undefined) body['filledTime'] = rfc3339(o.filledTime);
  if (o.fillingTransactionID !== undefined) body['fillingTransactionID'] = o.fillingTransactionID;
  if (o.cancelledTime !== undefined) body['cancelledTime'] = rfc3339(o.cancelledTime);
  if (o.cancellingTransactionID !== undefined) body['cancellingTransactionID'] = o.cancellingTransactionID;
  return body;
}
