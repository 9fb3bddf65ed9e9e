import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliContext } from '../context.ts';
import { loadSession, resolveCredentials, saveSession, sessionFileOf } from './client-credentials.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function contextWith(env: Record<string, string>): CliContext {
  const home = mkdtempSync(join(tmpdir(), 'gekko-config-'));
  dirs.push(home);
  return { env: { XDG_CONFIG_HOME: home, ...env }, out: () => undefined, err: () => undefined };
}

const tokens = {
  accessToken: 'a',
  accessTokenExpireTime: new Date('2026-01-01T00:05:00Z'),
  refreshToken: 'r',
  refreshTokenExpireTime: new Date('2026-01-31T00:00:00Z'),
};

function writeOperator(context: CliContext, grpc: string): void {
  const dir = join(context.env['XDG_CONFIG_HOME'] ?? '', 'ninja-gekko');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'credentials.json'),
    JSON.stringify({ apiKey: 'ngk_op.s', accountId: 'acc-1', grpc, email: 'operator@localhost' }),
  );
}

describe('client credentials', () => {
  it('stores the session with mode 0600 and reads it back with its dates', () => {
    const context = contextWith({});
    saveSession(context.env, { gateway: 'h:1', email: 'e@x', userId: 'u', tokens });
    expect(statSync(sessionFileOf(context.env)).mode & 0o777).toBe(0o600);
    expect(loadSession(context.env)).toEqual({ gateway: 'h:1', email: 'e@x', userId: 'u', tokens });
  });

  it('prefers the flag, then NINJA_API_KEY, then the login for this gateway, then the operator file', () => {
    const context = contextWith({ NINJA_API_KEY: 'ngk_env.s' });
    writeOperator(context, 'h:1');
    saveSession(context.env, { gateway: 'h:1', email: 'e@x', userId: 'u', tokens });
    expect(resolveCredentials(context, 'h:1', 'ngk_flag.s')).toEqual({
      source: 'flag',
      apiKey: 'ngk_flag.s',
    });
    expect(resolveCredentials(context, 'h:1', undefined)).toEqual({ source: 'env', apiKey: 'ngk_env.s' });
    const noEnv: CliContext = { ...context, env: { XDG_CONFIG_HOME: context.env['XDG_CONFIG_HOME'] ?? '' } };
    expect(resolveCredentials(noEnv, 'h:1', undefined).source).toBe('login');
    rmSync(sessionFileOf(noEnv.env));
    expect(resolveCredentials(noEnv, 'h:1', undefined)).toEqual({
      source: 'operator',
      apiKey: 'ngk_op.s',
      accountId: 'acc-1',
    });
    // Credentials saved for another gateway are not sent to this one.
    expect(resolveCredentials(noEnv, 'h:2', undefined)).toEqual({ source: 'none' });
  });

  it('says to log in again when the session file is damaged', () => {
    const context = contextWith({});
    saveSession(context.env, { gateway: 'h:1', email: 'e@x', userId: 'u', tokens });
    writeFileSync(sessionFileOf(context.env), '{"gateway": 1}');
    expect(() => loadSession(context.env)).toThrow(/gekko login/);
  });
});
