import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SimErrors } from './errors.ts';
import type { Params } from './params.ts';

export interface SimAccountKey {
  readonly apiKey: string;
  readonly secret: string;
  readonly accountId: string;
}

const API_KEY_FORMAT = /^[A-Za-z0-9]{8,128}$/;

/** Resolves X-MBX-APIKEY to an account: -2014 when missing or malformed, -2015 when unknown. */
export function authenticateKey(
  headers: IncomingHttpHeaders,
  keys: ReadonlyMap<string, SimAccountKey>,
): SimAccountKey {
  const header = headers['x-mbx-apikey'];
  const apiKey = Array.isArray(header) ? header[0] : header;
  if (apiKey === undefined || !API_KEY_FORMAT.test(apiKey)) throw SimErrors.badApiKeyFormat();
  const key = keys.get(apiKey);
  if (key === undefined) throw SimErrors.rejectedKey();
  return key;
}

/** totalParams (query string followed directly by body) with the `signature` parameter taken out. */
export function unsignedTotalParams(
  rawQuery: string,
  body: string,
): { total: string; signature: string | undefined } {
  let signature: string | undefined;
  const strip = (text: string): string => {
    if (text.length === 0) return text;
    const kept: string[] = [];
    for (const part of text.split('&')) {
      if (part.startsWith('signature=')) signature = part.slice('signature='.length);
      else kept.push(part);
    }
    return kept.join('&');
  };
  const query = strip(rawQuery);
  const form = strip(body);
  return { total: query + form, signature };
}

/**
 * The checks of a SIGNED endpoint, in the venue's order: key, mandatory timestamp and signature,
 * recvWindow bound, signature (HMAC-SHA256 of totalParams, hex, case-insensitive), then timing:
 * accepted iff timestamp < serverTime + 1000 and serverTime - timestamp <= recvWindow.
 */
export function verifySigned(
  rawQuery: string,
  body: string,
  params: Params,
  key: SimAccountKey,
  serverTime: number,
): void {
  const timestamp = params.int('timestamp');
  if (timestamp === undefined) throw SimErrors.mandatory('timestamp');
  const { total, signature } = unsignedTotalParams(rawQuery, body);
  if (signature === undefined || signature.length === 0) throw SimErrors.mandatory('signature');
  const recvWindow = params.int('recvWindow') ?? 5000;
  if (recvWindow > 60000 || recvWindow <= 0) throw SimErrors.badRecvWindow();
  const expected = Buffer.from(createHmac('sha256', key.secret).update(total).digest('hex'), 'utf8');
  const given = Buffer.from(signature.toLowerCase(), 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw SimErrors.badSignature();
  if (timestamp >= serverTime + 1000) throw SimErrors.aheadOfServer();
  if (serverTime - timestamp > recvWindow) throw SimErrors.outsideRecvWindow();
}
