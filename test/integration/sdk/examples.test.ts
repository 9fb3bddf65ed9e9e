import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NinjaClient, UnauthenticatedError } from '../../../sdk/index.ts';
import type { ExampleSettings } from '../../../sdk/examples/example-runner.ts';
import { loginAndApiKeys } from '../../../sdk/examples/login-and-api-keys.ts';
import { placeOrder } from '../../../sdk/examples/place-order.ts';
import { streamOrderBook } from '../../../sdk/examples/stream-order-book.ts';
import { startClientTestNode } from './client-test-node.ts';
import type { ClientTestNode } from './client-test-node.ts';

let node: ClientTestNode;
let operator: { apiKey: string; accountId: string };

beforeAll(async () => {
  node = await startClientTestNode();
  operator = JSON.parse(readFileSync(node.credentialsFile, 'utf8')) as { apiKey: string; accountId: string };
});
afterAll(async () => {
  await node.stop();
});

function settings(overrides: Partial<ExampleSettings> = {}): ExampleSettings {
  return {
    gateway: node.gateway,
    apiKey: operator.apiKey,
    accountId: operator.accountId,
    email: undefined,
    password: undefined,
    ...overrides,
  };
}

describe('the SDK examples against a real node', () => {
  it('login-and-api-keys: registers, logs in, creates a key that works, logs out', async () => {
    const lines: string[] = [];
    const result = await loginAndApiKeys(
      settings({ email: 'example@ninja.test', password: 'a long enough password' }),
      (line) => lines.push(line),
    );
    expect(lines[0]).toBe('registered example@ninja.test ' + lines[0]?.slice(lines[0].indexOf('(')));
    expect(lines).toContain('logged in as example@ninja.test, roles TRADER');
    expect(lines).toContain('logged out');
    expect(result.credential.startsWith(`${result.keyId}.`)).toBe(true);

    // Run again: the user exists now, and the example says so instead of failing.
    const again: string[] = [];
    await loginAndApiKeys(
      settings({ email: 'example@ninja.test', password: 'a long enough password' }),
      (line) => again.push(line),
    );
    expect(again[0]).toBe('example@ninja.test is already registered');
  });

  it('place-order: refuses a bad decimal naming the field; the gateway answers the valid order', async () => {
    const lines: string[] = [];
    const result = await placeOrder(settings(), (line) => lines.push(line));
    expect(result.rejectedField).toBe('quantity');
    // Either the order manager placed it, or the gateway says verbatim that it cannot yet.
    if (result.order === undefined) expect(lines.at(-1)).toMatch(/^not served by this gateway yet: /);
    else expect(result.order.clientOrderId).toMatch(/^example-/);
  });

  it('stream-order-book: yields book events, or the gateway status when the book is not served', async () => {
    const lines: string[] = [];
    const result = await streamOrderBook(settings(), (line) => lines.push(line));
    if (result.unavailable === undefined) {
      expect(result.events[0]?.type).toBe('snapshot');
    } else {
      expect(lines).toEqual([`not served by this gateway yet: ${result.unavailable}`]);
    }
  });
});

describe('the SDK session against a real node', () => {
  it('refreshes the access token before it expires and saves each new pair', async () => {
    const email = 'refresh@ninja.test';
    const password = 'another long password';
    const anonymous = new NinjaClient({ address: node.gateway });
    await anonymous.auth.register(email, password);
    anonymous.close();

    const saved: string[] = [];
    // A clock the test moves: 4 min 50 s after login the 5-minute access token is due for refresh.
    let skewMs = 0;
    const client = new NinjaClient({
      address: node.gateway,
      now: () => Date.now() + skewMs,
      onTokens: (tokens) => saved.push(tokens.refreshToken),
    });
    try {
      await client.login(email, password);
      const first = client.tokens?.accessToken;
      await client.auth.listApiKeys();
      expect(saved).toHaveLength(1);
      skewMs = 4 * 60_000 + 50_000;
      await client.auth.listApiKeys();
      expect(saved).toHaveLength(2);
      expect(client.tokens?.accessToken).not.toBe(first);
      // The new token serves further calls without another refresh.
      await client.auth.listApiKeys();
      expect(saved).toHaveLength(2);
    } finally {
      client.close();
    }
  });

  it('after UNAUTHENTICATED refreshes once and repeats the call; a dead refresh token asks to log in', async () => {
    const email = 'rejected@ninja.test';
    const password = 'yet another long password';
    const setup = new NinjaClient({ address: node.gateway });
    await setup.auth.register(email, password);
    const { tokens } = await setup.auth.login(email, password);
    setup.close();

    const client = new NinjaClient({
      address: node.gateway,
      tokens: { ...tokens, accessToken: 'not-a-jwt' },
    });
    try {
      expect(await client.auth.listApiKeys()).toEqual([]);
      expect(client.tokens?.refreshToken).not.toBe(tokens.refreshToken);
    } finally {
      client.close();
    }

    // The original refresh token was rotated away: using it again is refused.
    const stale = new NinjaClient({ address: node.gateway, tokens: { ...tokens, accessToken: 'not-a-jwt' } });
    try {
      await expect(stale.auth.listApiKeys()).rejects.toBeInstanceOf(UnauthenticatedError);
    } finally {
      stale.close();
    }
  });
});
