import type { FaultAnswers } from '../../fault-gate.ts';
import type { SimResponse } from '../../sim-server.ts';

/** OANDA error bodies: `{errorCode?, errorMessage}` (troubleshooting-errors page and real responses). */
export const OandaSimErrors = {
  unauthorized: (): SimResponse => ({
    status: 401,
    body: { errorMessage: 'Insufficient authorization to perform request.' },
  }),
  forbidden: (): SimResponse => ({
    status: 403,
    body: { errorMessage: 'The provided request was forbidden.' },
  }),
  notFound: (): SimResponse => ({
    status: 404,
    body: { errorMessage: 'The requested resource could not be found.' },
  }),
  methodNotAllowed: (): SimResponse => ({
    status: 405,
    body: { errorMessage: 'The requested method is not allowed for this resource.' },
  }),
  badRequest: (errorMessage: string, errorCode?: string): SimResponse => ({
    status: 400,
    body: errorCode === undefined ? { errorMessage } : { errorCode, errorMessage },
  }),
  rateLimited: (): SimResponse => ({
    status: 429,
    body: { errorMessage: 'Too many requests, rate limit exceeded.' },
  }),
  unavailable: (status = 503): SimResponse => ({
    status,
    body: { errorMessage: 'The service is temporarily unavailable. Please try again.' },
  }),
  internal: (): SimResponse => ({
    status: 500,
    body: { errorMessage: 'An unexpected internal server error occurred.' },
  }),
};

/** Injected faults answered as OANDA does: `{"errorMessage"}` with the fault's status. */
export const oandaFaultAnswers: FaultAnswers = {
  rateLimited: (status) => ({ ...OandaSimErrors.rateLimited(), status }),
  serverError: (status) => OandaSimErrors.unavailable(status),
};
