import { Command } from 'commander';
import { loadConfig } from '../../nodes/config/index.ts';
import type { ParsedConfig } from '../../nodes/config/index.ts';
import type { CliContext } from '../context.ts';

const SET = '(set)';

/** The venue sections with their credentials replaced by "(set)". */
function hiddenVenueSecrets(venues: ParsedConfig['venues']): Record<string, unknown> {
  return {
    ...(venues.binanceus === undefined
      ? {}
      : { binanceus: { ...venues.binanceus, apiKey: SET, apiSecret: SET } }),
    ...(venues.coinbase === undefined ? {} : { coinbase: { ...venues.coinbase, privateKey: SET } }),
    ...(venues.oanda === undefined ? {} : { oanda: { ...venues.oanda, token: SET } }),
  };
}

/** `gekko config check`: validates the configuration and prints it with secrets hidden. */
export function configCommand(context: CliContext): Command {
  const config = new Command('config').description('inspect the node configuration');
  config
    .command('check')
    .description('validate the configuration (file + environment) and print it, secrets hidden')
    .option('-c, --config <file>', 'JSON configuration file (default: $NINJA_CONFIG_FILE)')
    .action((options: { config?: string }) => {
      const parsed = loadConfig(
        options.config === undefined ? { env: context.env } : { env: context.env, file: options.config },
      );
      const shown = {
        ...parsed,
        database: {
          ...parsed.database,
          url: parsed.database.url === undefined ? '(embedded PostgreSQL)' : '(set)',
        },
        venues: hiddenVenueSecrets(parsed.venues),
        secrets: {
          jwtSigningKeys: `${parsed.secrets.jwtSigningKeys.length} key(s) given`,
          credentialEncryptionKey:
            parsed.secrets.credentialEncryptionKey === undefined ? '(not set)' : '(set)',
        },
      };
      context.out(JSON.stringify(shown, null, 2));
      context.out('configuration is valid');
    });
  return config;
}
