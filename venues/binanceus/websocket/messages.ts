/** Live control requests over an open stream connection (web-socket-streams.md). */
export interface StreamControlRequest {
  readonly method: 'SUBSCRIBE' | 'UNSUBSCRIBE' | 'LIST_SUBSCRIPTIONS' | 'SET_PROPERTY' | 'GET_PROPERTY';
  readonly params?: readonly unknown[];
  /** Unsigned integer, echoed in the answer. */
  readonly id: number;
}

/** `{"result":null,"id":1}` or `{"code":2,"msg":"Invalid request: ..."}`. */
export type StreamControlResponse =
  | { readonly result: unknown; readonly id: number }
  | { readonly code: number; readonly msg: string; readonly id?: number };

/** Stream names use lowercase symbols: `btcusd@depth@100ms`. */
export function streamName(
  symbol: string,
  type: 'trade' | 'aggTrade' | 'bookTicker' | 'depth' | 'depth@100ms',
): string {
  return `${symbol.toLowerCase()}@${type}`;
}
