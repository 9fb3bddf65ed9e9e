import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { InvalidArgumentError } from '../../domain/errors.ts';
import type { Tokens } from '../../sdk/index.ts';
import type { CliContext } from '../context.ts';

/**
 * Where the client commands keep what they know about the user: `$XDG_CONFIG_HOME/ninja-gekko/`
 * (else `~/.config/ninja-gekko/`). `session.json` is the `gekko login` session; `credentials.json`
 * the development operator's API key a development node writes (gateway/dev/operator-credentials.ts).
 */
export function configDirOf(env: NodeJS.ProcessEnv): string {
  const xdg = env['XDG_CONFIG_HOME'];
  return join(xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.config'), 'ninja-gekko');
}

export function sessionFileOf(env: NodeJS.ProcessEnv): string {
  return join(configDirOf(env), 'session.json');
}

export function operatorCredentialsFileOf(env: NodeJS.ProcessEnv): string {
  return join(configDirOf(env), 'credentials.json');
}

/** A `gekko login` as stored (mode 0600): the gateway it is for, and the latest token pair. */
export interface StoredSession {
  readonly gateway: string;
  readonly email: string;
  readonly userId: string;
  readonly tokens: Tokens;
}

interface StoredSessionJson {
  gateway: string;
  email: string;
  userId: string;
  tokens: {
    accessToken: string;
    accessTokenExpireTime: string;
    refreshToken: string;
    refreshTokenExpireTime: string;
  };
}

/** The operator credentials a development node saves; only the fields the CLI uses. */
export interface OperatorCredentials {
  readonly apiKey: string;
  readonly accountId: string;
  readonly grpc: string;
  readonly email: string;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InvalidArgumentError(
      file,
      `is not JSON (${(error as Error).message}); delete it and log in again`,
    );
  }
}

export function loadSession(env: NodeJS.ProcessEnv): StoredSession | undefined {
  const file = sessionFileOf(env);
  const json = readJson(file) as Partial<StoredSessionJson> | undefined;
  if (json === undefined) return undefined;
  const tokens = json.tokens;
  if (
    typeof json.gateway !== 'string' ||
    typeof json.email !== 'string' ||
    typeof json.userId !== 'string' ||
    tokens === undefined ||
    typeof tokens.accessToken !== 'string' ||
    typeof tokens.refreshToken !== 'string'
  ) {
    throw new InvalidArgumentError(file, 'is not a gekko login session; run `gekko login` again');
  }
  return {
    gateway: json.gateway,
    email: json.email,
    userId: json.userId,
    tokens: {
      accessToken: tokens.accessToken,
      accessTokenExpireTime: new Date(tokens.accessTokenExpireTime),
      refreshToken: tokens.refreshToken,
      refreshTokenExpireTime: new Date(tokens.refreshTokenExpireTime),
    },
  };
}

/** Writes the session readable by its owner only, replacing the old file in one step. */
export function saveSession(env: NodeJS.ProcessEnv, session: StoredSession): string {
  const file = sessionFileOf(env);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${String(process.pid)}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(session, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
  return file;
}

export function deleteSession(env: NodeJS.ProcessEnv): void {
  rmSync(sessionFileOf(env), { force: true });
}

export function loadOperatorCredentials(env: NodeJS.ProcessEnv): OperatorCredentials | undefined {
  const json = readJson(operatorCredentialsFileOf(env)) as Partial<OperatorCredentials> | undefined;
  if (json === undefined) return undefined;
  if (
    typeof json.apiKey !== 'string' ||
    typeof json.grpc !== 'string' ||
    typeof json.accountId !== 'string'
  ) {
    return undefined;
  }
  return { apiKey: json.apiKey, accountId: json.accountId, grpc: json.grpc, email: json.email ?? '' };
}

/** What a client command authenticates with, and where it came from (for messages). */
export type ResolvedCredentials =
  | { readonly source: 'flag' | 'env'; readonly apiKey: string }
  | { readonly source: 'login'; readonly session: StoredSession }
  | { readonly source: 'operator'; readonly apiKey: string; readonly accountId: string }
  | { readonly source: 'none' };

/**
 * In order: `--api-key`, `$NINJA_API_KEY`, the stored `gekko login` for this gateway, the development
 * operator's credentials for this gateway.
 */
export function resolveCredentials(
  context: CliContext,
  gateway: string,
  apiKeyFlag: string | undefined,
): ResolvedCredentials {
  if (apiKeyFlag !== undefined) return { source: 'flag', apiKey: apiKeyFlag };
  const fromEnv = context.env['NINJA_API_KEY'];
  if (fromEnv !== undefined && fromEnv !== '') return { source: 'env', apiKey: fromEnv };
  const session = loadSession(context.env);
  if (session !== undefined && session.gateway === gateway) return { source: 'login', session };
  const operator = loadOperatorCredentials(context.env);
  if (operator !== undefined && operator.grpc === gateway) {
    return { source: 'operator', apiKey: operator.apiKey, accountId: operator.accountId };
  }
  return { source: 'none' };
}
