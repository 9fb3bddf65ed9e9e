import { describe, expect, it } from 'vitest';
import { BinanceUsCredentials } from './credentials.ts';
import { signRequest, signTotalParams } from './signing.ts';

// The documented example from the Binance.US REST docs (../shared/venues/binanceus.md, A2).
const API_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';
const SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
const TOTAL =
  'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559';
const SIGNATURE = 'c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71';
const PARAMS = [
  ['symbol', 'LTCBTC'],
  ['side', 'BUY'],
  ['type', 'LIMIT'],
  ['timeInForce', 'GTC'],
  ['quantity', '1'],
  ['price', '0.1'],
] as const;

describe('Binance.US request signing', () => {
  const credentials = new BinanceUsCredentials(API_KEY, SECRET);

  it('reproduces the documented signature as query string and as body', () => {
    expect(signTotalParams(credentials, TOTAL, '')).toBe(SIGNATURE);
    expect(signTotalParams(credentials, '', TOTAL)).toBe(SIGNATURE);
  });

  it('signs the query string followed directly by the body for mixed requests', () => {
    const split = TOTAL.indexOf('quantity=');
    expect(signTotalParams(credentials, TOTAL.slice(0, split), TOTAL.slice(split))).toBe(SIGNATURE);
  });

  it('builds the documented request with recvWindow, timestamp and signature last', () => {
    const inQuery = signRequest(credentials, PARAMS, {
      inBody: false,
      timestamp: 1499827319559,
      recvWindow: 5000,
    });
    expect(inQuery).toEqual({ query: `${TOTAL}&signature=${SIGNATURE}`, body: '' });
    const inBody = signRequest(credentials, PARAMS, {
      inBody: true,
      timestamp: 1499827319559,
      recvWindow: 5000,
    });
    expect(inBody).toEqual({ query: '', body: `${TOTAL}&signature=${SIGNATURE}` });
  });

  it('never shows the secret when serialised', () => {
    expect(JSON.stringify(credentials)).not.toContain(SECRET);
    expect(String(credentials)).not.toContain(SECRET);
  });
});
