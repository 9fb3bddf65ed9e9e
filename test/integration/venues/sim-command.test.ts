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

  it('rejects an unknown venue, naming the known ones', async () => {
    await expect(
      program([], () => Promise.resolve('SIGINT')).parseAsync(['sim', 'kraken', '--port', '0'], {
        from: 'user',
      }),
    ).rejects.toThrow(/unknown venue 'kraken'; known venues: binanceus/);
  });
});
