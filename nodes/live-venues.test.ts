import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MetricsRegistry, createLogger } from '../observability/index.ts';
import { ConfigError, loadConfig } from './config/index.ts';
import { liveVenueConnectors } from './live-venues.ts';

const services = () => ({ logger: createLogger({ level: 'silent' }), metrics: new MetricsRegistry() });

describe('liveVenueConnectors', () => {
  it('makes a connector factory for each configured venue only', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const config = loadConfig({
      env: {
        NINJA_COINBASE_KEY_NAME: 'organizations/o/apiKeys/k',
        NINJA_COINBASE_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        NINJA_COINBASE_PRODUCTS: 'BTC-USD',
        NINJA_OANDA_ACCOUNT_ID: '101-004-1435156-001',
        NINJA_OANDA_TOKEN: 'token-123456',
        NINJA_OANDA_ENVIRONMENT: 'live',
      },
    });
    const factories = liveVenueConnectors(config.venues, services());
    expect(Object.keys(factories).sort()).toEqual(['coinbase', 'oanda']);
  });

  it('refuses at start a private key the venue library cannot use, naming the field', () => {
    const config = loadConfig({
      env: {
        NINJA_COINBASE_KEY_NAME: 'organizations/o/apiKeys/k',
        NINJA_COINBASE_PRIVATE_KEY:
          '-----BEGIN PRIVATE KEY-----\nnot base64 at all\n-----END PRIVATE KEY-----',
        NINJA_COINBASE_PRODUCTS: 'BTC-USD',
      },
    });
    let error: unknown;
    try {
      liveVenueConnectors(config.venues, services());
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues[0]?.field).toBe('venues.coinbase.privateKey');
  });
});
