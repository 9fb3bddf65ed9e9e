import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { simCommand } from '../../../cli/commands/sim.ts';

function program(lines: string[], untilStopped: () => Promise<string>): Command {
  const root = new Command('gekko').exitOverride();
  root.addCommand(
    simCommand({
      out: (l) => lines.push(l),
      err: (l) => lines.push(l),
      env: { NINJA_LOG_LEVEL: 'warn' },
      untilStopped,
    }),
  );
  return root;
}

describe('gekko sim', () => {
  it('runs the Binance.US simulator with the given credentials until stopped', async () => {
    const lines: string[] = [];
    let stop: (signal: string) => void = () => undefined;
    const stopped = new Promise<string>((resolve) => (stop = resolve));
    const run = program(lines, () => stopped).parseAsync(
      [
        'sim',
        'binanceus',
        '--port',
        '0',
        '--seed',
        '3',
        '--symbols',
        'BTCUSD',
        '--api-key',
        'abcdefgh12345678',
        '--api-secret',
        's3cret',
      ],
      { from: 'user' },
    );
    const deadline = Date.now() + 5000;
    while (!lines.some((l) => l.includes('REST:')) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    const rest = /REST:\s+(\S+)/.exec(lines.join('\n'))?.[1];
    expect(lines.join('\n')).toContain('abcdefgh12345678');
    const time = (await (await fetch(`${rest}/api/v3/time`)).json()) as { serverTime: number };
    expect(typeof time.serverTime).toBe('number');
    stop('SIGTERM');
    await run;
    expect(lines.at(-1)).toBe('simulator stopped');
  });

  async function runUntil(args: string[], check: (output: string) => Promise<void>): Promise<string[]> {
    const lines: string[] = [];
    let stop: (signal: string) => void = () => undefined;
    const stopped = new Promise<string>((resolve) => (stop = resolve));
    const run = program(lines, () => stopped).parseAsync(args, { from: 'user' });
    const deadline = Date.now() + 10_000;
    while (!lines.includes('Press Ctrl+C to stop.') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    try {
      await check(lines.join('\n'));
    } finally {
      stop('SIGTERM');
      await run;
    }
    return lines;
  }

  it('runs the Coinbase simulator with the given key name and prints its generated private key', async () => {
    const lines = await runUntil(
      ['sim', 'coinbase', '--port', '0', '--symbols', 'BTC-USD', '--api-key', 'organizations/o/apiKeys/k1'],
      async (output) => {
        expect(output).toContain('organizations/o/apiKeys/k1');
        expect(output).toContain('-----BEGIN PRIVATE KEY-----');
        const rest = /REST:\s+(\S+)/.exec(output)?.[1];
        const products = (await (await fetch(`${rest}/market/products`)).json()) as {
          products: { product_id: string }[];
        };
        expect(products.products.map((p) => p.product_id)).toEqual(['BTC-USD']);
      },
    );
    expect(lines.at(-1)).toBe('simulator stopped');
  });

  it('refuses an API secret for Coinbase, whose keys are key pairs', async () => {
    await expect(
      program([], () => Promise.resolve('SIGINT')).parseAsync(
        ['sim', 'coinbase', '--port', '0', '--api-secret', 'x'],
        { from: 'user' },
      ),
    ).rejects.toThrow(/Coinbase keys are key pairs/);
  });

  it('runs the OANDA simulator with the given account id and token', async () => {
    const token = 'a'.repeat(32) + '-' + 'b'.repeat(32);
    await runUntil(
      ['sim', 'oanda', '--port', '0', '--api-key', '101-001-1234567-001', '--api-secret', token],
      async (output) => {
        const rest = /REST:\s+(\S+)/.exec(output)?.[1];
        const accounts = await fetch(`${rest}/accounts`, { headers: { authorization: `Bearer ${token}` } });
        expect(accounts.status).toBe(200);
        expect(JSON.stringify(await accounts.json())).toContain('101-001-1234567-001');
        const refused = await fetch(`${rest}/accounts`, { headers: { authorization: 'Bearer wrong' } });
        expect(refused.status).toBe(401);
      },
    );
  });

  it('rejects an unknown venue, naming the known ones', async () => {
    await expect(
      program([], () => Promise.resolve('SIGINT')).parseAsync(['sim', 'kraken', '--port', '0'], {
        from: 'user',
      }),
    ).rejects.toThrow(/unknown venue 'kraken'; known venues: binanceus, coinbase, oanda/);
  });
});
