// Register a user, log in (the client refreshes the access token by itself), manage API keys, log out.
import { AlreadyExistsError, NinjaClient } from '../index.ts';
import type { Example } from './example-runner.ts';
import { required, runIfMain } from './example-runner.ts';

export const loginAndApiKeys: Example<{ keyId: string; credential: string }> = async (settings, print) => {
  const email = required(settings.email, 'NINJA_EMAIL');
  const password = required(settings.password, 'NINJA_PASSWORD');
  const client = new NinjaClient({ address: settings.gateway });
  try {
    try {
      const user = await client.auth.register(email, password);
      print(`registered ${user.email} (${user.userId})`);
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
      print(`${email} is already registered`);
    }

    const user = await client.login(email, password);
    print(`logged in as ${user.email}, roles ${user.roles.join(', ')}`);

    // Every later call carries the access token; it is refreshed before it expires.
    const created = await client.auth.createApiKey(['READ', 'TRADE']);
    print(`created API key ${created.apiKey.keyId}; its secret is shown only now`);

    for (const key of await client.auth.listApiKeys()) {
      print(
        `  ${key.keyId}  scopes ${key.scopes.join(',')}  created ${key.createTime?.toISOString() ?? '-'}`,
      );
    }

    // The same user through the new key, as a service would run.
    const service = new NinjaClient({ address: settings.gateway, apiKey: created.credential });
    try {
      print(`the key sees ${String((await service.accounts.listAccounts()).length)} account(s)`);
    } finally {
      service.close();
    }

    await client.logout();
    print('logged out');
    return { keyId: created.apiKey.keyId, credential: created.credential };
  } finally {
    client.close();
  }
};

await runIfMain(import.meta.url, loginAndApiKeys);
