// `gekko start` as a user runs it: a development node with the venue simulators, the paper venue,
// demo accounts and demo strategies; it must trade on its own, show it, and stop cleanly (its
// market makers' quotes cancelled first).
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Quantity } from '../../../domain/values/index.ts';
import { NinjaClient } from '../../../sdk/index.ts';
import { waitFor } from '../../support/index.ts';

const GEKKO = fileURLToPath(new URL('../../../cli/bin/gekko.js', import.meta.url));

type LogLine = Record<string, unknown>;

let dir: string;
let child: ChildProcessWithoutNullStreams;
let exited: Promise<number | null>;
const lines: LogLine[] = [];
const raw: string[] = [];

function logged(msg: string): LogLine[] {
  return lines.filter((l) => l['msg'] === msg);
}

async function until(
  msg: string,
  timeoutMs: number,
  accept: (l: LogLine) => boolean = () => true,
): Promise<LogLine> {
  await waitFor(
    () => logged(msg).some(accept),
    timeoutMs,
    `"${msg}" logged (last lines: ${raw.slice(-5).join('\n')})`,
  );
  const found = logged(msg).find(accept);
  if (found === undefined) throw new Error(`"${msg}" vanished`);
  return found;
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ninja-main-job-'));
  // As root the embedded PostgreSQL runs as its own OS user, which must be able to enter the folder.
  chmodSync(dir, 0o755);
  child = spawn(process.execPath, [GEKKO, 'start'], {
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '',
      NINJA_DATA_DIR: dir,
      NINJA_HTTP_PORT: '0',
      NINJA_GRPC_PORT: '0',
      NINJA_LOG_LEVEL: 'info',
      XDG_CONFIG_HOME: dir,
    },
  });
  exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  let buffer = '';
  child.stderr.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      raw.push(line.slice(0, 400));
      if (raw.length > 50) raw.shift();
      try {
        lines.push(JSON.parse(line) as LogLine);
      } catch {
        // Not a log line (a crash trace): kept in `raw` for the failure message.
      }
    }
  });
});

afterAll(async () => {
  if (child.exitCode === null) {
    child.kill('SIGKILL');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('npm start (gekko start, development)', () => {
  it('runs the simulators and demo strategies, trades on its own, shows it, and stops cleanly on SIGTERM', async () => {
    const ready = await until('node ready', 90_000);
    const simulators = (await until('development venue simulators running', 30_000))[
      'simulators'
    ] as string[];
    expect(simulators.map((s) => s.split(/\s+/)[0])).toEqual(['binanceus', 'coinbase', 'oanda']);
    const ports = simulators.map((s) => Number(/:(\d+)$/.exec(s)?.[1]));
    expect(ports.every((p) => p > 0)).toBe(true);

    const { accounts } = (await until('demo accounts ready', 30_000)) as { accounts: { venue: string }[] };
    expect(accounts.map((a) => a.venue).sort()).toEqual(['binanceus', 'coinbase', 'oanda', 'paper']);
    const credentials = JSON.parse(readFileSync(join(dir, 'ninja-gekko', 'credentials.json'), 'utf8')) as {
      apiKey: string;
    };
    expect(credentials.apiKey).toEqual(expect.any(String));
    await until('demo strategies started', 10_000);

    // Not a TTY: the status panel is a compact log line every 10 s; wait for orders and a fill.
    const status = (await until(
      'status',
      60_000,
      (l) => ((l['orders'] as { placed: number }).placed ?? 0) > 0 && Number(l['fills']) > 0,
    )) as { markets: Record<string, string>; unavailable: string[]; failedStrategies: string[] };
    expect(Object.keys(status.markets).length).toBeGreaterThanOrEqual(6);
    expect(status.failedStrategies).toEqual([]);

    // Through the gateway, as `gekko orders list` / `gekko positions` see it.
    const client = new NinjaClient({ address: String(ready['grpc']), apiKey: credentials.apiKey });
    try {
      const listed = await client.accounts.listAccounts();
      const demo = listed.filter((a) => a.name === 'demo');
      expect(demo.map((a) => a.venue).sort()).toEqual(['binanceus', 'coinbase', 'oanda', 'paper']);
      let placed = 0;
      const filled: string[] = [];
      for (const account of demo) {
        const { orders } = await client.trading.listOrders({ accountId: account.accountId, pageSize: 500 });
        placed += orders.length;
        if (
          orders.some((o) => o.filledQuantity !== undefined && Quantity.parse(o.filledQuantity).isPositive())
        ) {
          filled.push(account.accountId);
        }
      }
      expect(placed).toBeGreaterThan(0);
      expect(filled.length).toBeGreaterThan(0);
      const positions = await client.accounts.getPositions(filled[0] ?? 'none');
      expect(positions.length).toBeGreaterThan(0);
    } finally {
      client.close();
    }

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // The market makers pulled their quotes and the venues confirmed it before the order managers
    // stopped: nothing rests on a venue the next start would have to reconcile.
    const stopped = logged('demo strategies stopped; their quotes cancelled');
    const partly = logged('demo strategies stopped; some quotes may still rest on their venues');
    expect(stopped, `stopped with quotes left: ${JSON.stringify(partly)}`).toHaveLength(1);
    expect(stopped[0]).toMatchObject({ strategies: 10, stillOpen: [], failed: [] });
    expect(Number(stopped[0]?.['cancelled'])).toBeGreaterThan(0);
    // The venue connections stopped before the books they feed (stop stages, cluster/kinds.ts).
    expect(logged('market data subscriber unreachable; subscription dropped')).toEqual([]);
    // Its helper threads yield to the event loop (helperThreadsNice, default 19; Linux).
    if (process.platform === 'linux')
      expect(logged('helper threads reniced (the event loop keeps its priority)')).toHaveLength(1);
    expect(logged('node stopped')).toHaveLength(1);
    for (const port of ports) expect(await refused(port)).toBe(true);
  }, 240_000);
});
