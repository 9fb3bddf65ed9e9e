// The venues a node that is not a development node connects to: the built-in paper venue, and each
// live venue the configuration has a section for (`venues.binanceus`, `venues.coinbase`,
// `venues.oanda`: the firm's own API credentials at that venue, see docs/venues.md). One connection
// per venue in the cluster, held by the `venue/<venue>` actor on whichever venue-role node hosts it.
import { VenueConnectors, registerVenueKinds } from '../actors/venue/index.ts';
import type { VenueConnectorFactory } from '../actors/venue/index.ts';
import { NodeRole } from '../cluster/index.ts';
import type { ClusterNode } from '../cluster/index.ts';
import type { Logger, MetricsRegistry } from '../observability/index.ts';
import { BinanceUsConnector, BinanceUsCredentials } from '../venues/binanceus/index.ts';
import { CoinbaseConnector, CoinbaseCredentials } from '../venues/coinbase/index.ts';
import {
  OANDA_LIVE_URLS,
  OANDA_PRACTICE_URLS,
  OandaConnector,
  OandaCredentials,
} from '../venues/oanda/index.ts';
import { ConfigError } from './config/index.ts';
import type { Config } from './config/index.ts';
import { createPaperVenue } from './paper-venue.ts';

export type VenuesConfig = Config['venues'];

export interface LiveVenueServices {
  readonly logger: Logger;
  readonly metrics: MetricsRegistry;
}

/**
 * A connector factory per configured live venue. Credentials are checked here, once, so a key the
 * venue library cannot use (a PEM that does not parse, an OANDA account id of the wrong shape)
 * stops the node at start with a ConfigError naming the field, not at the first order.
 */
export function liveVenueConnectors(
  venues: VenuesConfig,
  services: LiveVenueServices,
): Record<string, VenueConnectorFactory> {
  const factories: Record<string, VenueConnectorFactory> = {};
  const { metrics } = services;
  const binance = venues.binanceus;
  if (binance !== undefined) {
    const credentials = checked('venues.binanceus.apiKey', 'NINJA_BINANCEUS_API_KEY', () => {
      return new BinanceUsCredentials(binance.apiKey, binance.apiSecret);
    });
    const logger = services.logger.child({ venue: 'binanceus' });
    factories['binanceus'] = () =>
      new BinanceUsConnector({
        config: { urls: { rest: binance.restUrl, ws: binance.wsUrl } },
        credentials,
        logger,
        metrics,
        symbols: binance.symbols,
      });
  }
  const coinbase = venues.coinbase;
  if (coinbase !== undefined) {
    const credentials = checked('venues.coinbase.privateKey', 'NINJA_COINBASE_PRIVATE_KEY', () => {
      return new CoinbaseCredentials(coinbase.keyName, coinbase.privateKey);
    });
    const logger = services.logger.child({ venue: 'coinbase' });
    factories['coinbase'] = () =>
      new CoinbaseConnector({
        config: {
          urls: { rest: coinbase.restUrl, wsMarket: coinbase.wsMarketUrl, wsUser: coinbase.wsUserUrl },
        },
        credentials,
        logger,
        metrics,
        products: coinbase.products,
      });
  }
  const oanda = venues.oanda;
  if (oanda !== undefined) {
    const credentials = checked('venues.oanda.accountId', 'NINJA_OANDA_ACCOUNT_ID', () => {
      return new OandaCredentials(oanda.token, oanda.accountId);
    });
    const defaults = oanda.environment === 'live' ? OANDA_LIVE_URLS : OANDA_PRACTICE_URLS;
    const urls = { rest: oanda.restUrl ?? defaults.rest, stream: oanda.streamUrl ?? defaults.stream };
    const logger = services.logger.child({ venue: 'oanda' });
    factories['oanda'] = () => new OandaConnector({ config: { urls }, credentials, logger, metrics });
  }
  return factories;
}

/**
 * Registers the `venue` and `book` kinds on a venue-role node with the paper venue and every
 * configured live venue; returns the venue ids it connects to (logged at start).
 */
export function registerConfiguredVenues(
  node: ClusterNode,
  venues: VenuesConfig,
  services: LiveVenueServices,
): string[] {
  const factories: Record<string, VenueConnectorFactory> = {
    paper: createPaperVenue(services).connector,
    ...liveVenueConnectors(venues, services),
  };
  registerVenueKinds(node, { connectors: new VenueConnectors(factories), metrics: services.metrics });
  const names = Object.keys(factories);
  services.logger.info({ venues: names }, 'venue connectors configured');
  return names;
}

/**
 * Registers the `venue` and `book` kinds on a node without the venue role. It hosts neither
 * (placement never names it), but its order managers, gateway and strategies address them, and a
 * node can send only to kinds it has registered: without this, ListInstruments, books and orders on
 * a gateway or trading node failed FAILED_PRECONDITION ("kind venue has no implementation registered").
 */
export function registerVenueAddressing(node: ClusterNode, services: LiveVenueServices): void {
  registerVenueKinds(node, { connectors: new VenueConnectors({}), metrics: services.metrics });
}

/**
 * The venue kinds of a node that is not a development node: hosted with the paper venue and the
 * configured live venues on a venue-role node, addressed only on any other.
 */
export function registerNodeVenues(
  node: ClusterNode,
  config: Pick<Config, 'venues' | 'cluster'>,
  services: LiveVenueServices,
): void {
  if (config.cluster.roles.includes(NodeRole.venue)) registerConfiguredVenues(node, config.venues, services);
  else registerVenueAddressing(node, services);
}

function checked<T>(field: string, source: string, make: () => T): T {
  try {
    return make();
  } catch (error) {
    throw new ConfigError([{ field, source: `config or env ${source}`, message: (error as Error).message }]);
  }
}
