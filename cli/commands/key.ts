import { Command } from 'commander';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { ApiKeyScope } from '../../sdk/index.ts';
import type { ApiKey } from '../../sdk/index.ts';
import type { CliContext } from '../context.ts';
import { formatFields, formatTable, isoTime, print } from './client-output.ts';
import type { Column } from './client-output.ts';
import { clientOptions, withClient } from './client-session.ts';
import type { ClientFlags } from './client-session.ts';

const KEY_COLUMNS: readonly Column<ApiKey>[] = [
  { header: 'KEY ID', cell: (k) => k.keyId },
  { header: 'LABEL', cell: (k) => (k.label === '' ? '-' : k.label) },
  { header: 'SCOPES', cell: (k) => k.scopes.join(',').toLowerCase() },
  { header: 'ALLOWED IPS', cell: (k) => (k.allowedIps.length === 0 ? 'any' : k.allowedIps.join(',')) },
  { header: 'CREATED', cell: (k) => isoTime(k.createTime) },
  { header: 'LAST USED', cell: (k) => isoTime(k.lastUseTime) },
  { header: 'REVOKED', cell: (k) => isoTime(k.revokeTime) },
];

/** "read,trade" → [READ, TRADE]. */
export function parseScopes(text: string): ApiKeyScope[] {
  const names = Object.values(ApiKeyScope);
  return text
    .split(',')
    .map((item) => item.trim().toUpperCase())
    .filter((item) => item.length > 0)
    .map((item) => {
      const scope = names.find((name) => name === item);
      if (scope === undefined) {
        throw new InvalidArgumentError(
          '--scope',
          `${JSON.stringify(item.toLowerCase())} is not one of read, trade, admin`,
        );
      }
      return scope;
    });
}

/** `gekko key create|list|revoke`: the caller's API keys. */
export function keyCommand(context: CliContext): Command {
  const key = new Command('key').description('your API keys');
  key.addCommand(
    clientOptions(
      new Command('create')
        .description('create an API key; its secret is shown once')
        .option('--scope <scopes>', 'comma-separated: read, trade, admin', 'read')
        .option('--label <text>', 'your name for the key, shown by `gekko key list` (at most 64 characters)')
        .option(
          '--allow-ip <addresses>',
          'comma-separated addresses or CIDR ranges the key may be used from',
        ),
    ).action(
      async (
        flags: ClientFlags & { readonly scope: string; readonly allowIp?: string; readonly label?: string },
      ) => {
        const scopes = parseScopes(flags.scope);
        const allowed = (flags.allowIp ?? '')
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item.length > 0);
        const created = await withClient(context, flags, ({ client }) =>
          client.auth.createApiKey(scopes, allowed, flags.label),
        );
        print(context, flags, created, () => [
          ...formatFields([
            ['key id', created.apiKey.keyId],
            ['label', created.apiKey.label === '' ? '-' : created.apiKey.label],
            ['scopes', created.apiKey.scopes.join(',').toLowerCase()],
            ['credential', created.credential],
          ]),
          'The credential is shown only now: use it as --api-key or NINJA_API_KEY.',
        ]);
      },
    ),
  );
  key.addCommand(
    clientOptions(
      new Command('list').description('list your API keys').option('--all', 'include revoked keys'),
    ).action(async (flags: ClientFlags & { readonly all?: boolean }) => {
      const keys = await withClient(context, flags, ({ client }) =>
        client.auth.listApiKeys(flags.all === true),
      );
      print(context, flags, keys, () =>
        keys.length === 0 ? ['no API keys'] : formatTable(KEY_COLUMNS, keys),
      );
    }),
  );
  key.addCommand(
    clientOptions(
      new Command('revoke').description('revoke an API key').argument('<key-id>', 'e.g. ngk_3f9c…'),
    ).action(async (keyId: string, flags: ClientFlags) => {
      const revoked = await withClient(context, flags, ({ client }) => client.auth.revokeApiKey(keyId));
      print(context, flags, revoked, () => [
        `revoked ${revoked.keyId} at ${isoTime(revoked.revokeTime) ?? '-'}`,
      ]);
    }),
  );
  return key;
}
