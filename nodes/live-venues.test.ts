import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ClusterNode } from '../cluster/index.ts';
import { MetricsRegistry, createLogger } from '../observability/index.ts';
import { ConfigError, loadConfig } from './config/index.ts';
import { liveVenueConnectors, registerNodeVenues } from './live-venues.ts';

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

describe('registerNodeVenues', () => {
  // A gateway or trading node without the venue role sends to venue/<venue> (ListInstruments, books,
  // orders): it must know the kind, though placement never lets it host one.
  it('lets a node without the venue role address the venue kind, hosting none', async () => {
    const config = loadConfig({ env: { NINJA_ROLES: 'gateway,trading' } });
    const node = new ClusterNode({
      nodeId: 'gateway-only',
      roles: config.cluster.roles,
      version: 'test',
      logger: createLogger({ level: 'silent' }),
      metrics: new MetricsRegistry(),
      membership: { type: 'static' },
    });
    registerNodeVenues(node, config, services());
    await node.start();
    try {
      expect(node.ownerOf('venue/paper')).toBeUndefined();
      const status = node.request('venue/paper', (replyTo) => ({ type: 'venue-status', replyTo }), {
        timeoutMs: 1_000,
      });
      // No member may host it (no venue role here), but the kind is known: not FAILED_PRECONDITION.
      await expect(status).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    } finally {
      await node.stop();
    }
  });
});
