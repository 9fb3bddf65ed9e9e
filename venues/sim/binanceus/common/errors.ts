import type { FaultAnswers } from '../../fault-gate.ts';

/**
 * The venue's documented error answers (errors.md): HTTP status, code and message. Thrown inside a
 * route and turned into the body `{"code":…,"msg":"…"}` by the router.
 */
export class BinanceSimError extends Error {
  readonly status: number;
  readonly code: number;
  constructor(status: number, code: number, msg: string) {
    super(msg);
    this.name = 'BinanceSimError';
    this.status = status;
    this.code = code;
  }

  body(): { code: number; msg: string } {
    return { code: this.code, msg: this.message };
  }
}

export const SimErrors = {
  tooManyRequests: (): BinanceSimError =>
    new BinanceSimError(
      429,
      -1003,
      'Too much request weight used; current limit is 1200 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.',
    ),
  outsideRecvWindow: (): BinanceSimError =>
    new BinanceSimError(400, -1021, 'Timestamp for this request is outside of the recvWindow.'),
  aheadOfServer: (): BinanceSimError =>
    new BinanceSimError(400, -1021, "Timestamp for this request was 1000ms ahead of the server's time."),
  badSignature: (): BinanceSimError =>
    new BinanceSimError(400, -1022, 'Signature for this request is not valid.'),
  illegalChars: (param: string, legal: string): BinanceSimError =>
    new BinanceSimError(
      400,
      -1100,
      `Illegal characters found in parameter '${param}'; legal range is '${legal}'.`,
    ),
  mandatory: (param: string): BinanceSimError =>
    new BinanceSimError(
      400,
      -1102,
      `Mandatory parameter '${param}' was not sent, was empty/null, or malformed.`,
    ),
  badRecvWindow: (): BinanceSimError => new BinanceSimError(400, -1131, 'recvWindow must be less than 60000'),
  badSymbol: (): BinanceSimError => new BinanceSimError(400, -1121, 'Invalid symbol.'),
  invalidListenKey: (): BinanceSimError => new BinanceSimError(400, -1125, 'This listenKey does not exist.'),
  filterFailure: (filter: string): BinanceSimError =>
    new BinanceSimError(400, -1013, `Filter failure: ${filter}`),
  invalidMessage: (msg: string): BinanceSimError => new BinanceSimError(400, -1013, msg),
  rejected: (msg: string): BinanceSimError => new BinanceSimError(400, -2010, msg),
  cancelUnknown: (): BinanceSimError => new BinanceSimError(400, -2011, 'Unknown order sent.'),
  cancelRestricted: (): BinanceSimError =>
    new BinanceSimError(400, -2011, 'Order was not canceled due to cancel restrictions.'),
  noSuchOrder: (): BinanceSimError => new BinanceSimError(400, -2013, 'Order does not exist.'),
  badApiKeyFormat: (): BinanceSimError => new BinanceSimError(401, -2014, 'API-key format invalid.'),
  rejectedKey: (): BinanceSimError =>
    new BinanceSimError(401, -2015, 'Invalid API-key, IP, or permissions for action.'),
  internal: (): BinanceSimError =>
    new BinanceSimError(500, -1001, 'Internal error; unable to process your request. Please try again.'),
  /** 418: the IP kept sending after 429s and is banned for a while (same -1003 code). */
  banned: (): BinanceSimError =>
    new BinanceSimError(
      418,
      -1003,
      'Way too much request weight used; IP banned until further notice. Please use WebSocket Streams for live updates to avoid bans.',
    ),
} as const;

/** Injected faults answered as Binance.US does: `{"code":-1003|-1001,"msg"}` with the fault's status. */
export const binanceFaultAnswers: FaultAnswers = {
  rateLimited: (status) => {
    const error = status === 418 ? SimErrors.banned() : SimErrors.tooManyRequests();
    return { status, body: error.body() };
  },
  serverError: (status) => ({ status, body: SimErrors.internal().body() }),
};
