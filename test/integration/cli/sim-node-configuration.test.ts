// `gekko sim <venue>` prints the live-venue configuration of a node that trades on it
// (docs/venues.md): evaluated by bash as an operator would source it, the lines make a configuration
// that `gekko node start` accepts, with the URLs the connectors expect and a PEM that parses.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { simCommand } from '../../../cli/commands/sim.ts';
import { loadConfig } from '../../../nodes/config/index.ts';
import { liveVenueConnectors } from '../../../nodes/live-venues.ts';
import { MetricsRegistry, createLogger } from '../../../observability/index.ts';

async function exportsOf(venue: string): Promise<string[]> {
  const lines: string[] = [];
  await simCommand({
    out: (line) => lines.push(line),
    err: (line) => lines.push(line),
    env: { NINJA_LOG_LEVEL: 'silent' },
    untilStopped: () => Promise.resolve('test'),
  }).parseAsync([venue, '--port', '0'], { from: 'user' });
  return lines.filter((line) => line.startsWith('export '));
}

/** The environment bash has after evaluating `lines`, restricted to NINJA_* variables. */
function sourced(lines: readonly string[]): Record<string, string> {
  const result = spawnSync('bash', ['-c', `${lines.join('\n')}\nenv -0`], { encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  const env: Record<string, string> = {};
  for (const entry of result.stdout.split('\0')) {
    const at = entry.indexOf('=');
    if (entry.startsWith('NINJA_') && at > 0) env[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return env;
}

describe('gekko sim prints a node configuration', () => {
  it('for Binance.US, Coinbase and OANDA that the node accepts', async () => {
    const lines = [
      ...(await exportsOf('binanceus')),
      ...(await exportsOf('coinbase')),
      ...(await exportsOf('oanda')),
    ];
    const env = sourced(lines);
    expect(env['NINJA_COINBASE_PRIVATE_KEY']).toMatch(
      /^-----BEGIN [A-Z ]+-----\n[\s\S]+-----END [A-Z ]+-----$/,
    );
    // The bases, not the API paths the banner names: the connectors add those themselves.
    expect(env['NINJA_COINBASE_REST_URL']).not.toContain('/api/v3');
    expect(env['NINJA_OANDA_REST_URL']).not.toMatch(/\/v3$/);
    const config = loadConfig({ env });
    const services = { logger: createLogger({ level: 'silent' }), metrics: new MetricsRegistry() };
    expect(Object.keys(liveVenueConnectors(config.venues, services)).sort()).toEqual([
      'binanceus',
      'coinbase',
      'oanda',
    ]);
  }, 60_000);
});
