import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { isNinjaError } from '../../domain/errors.ts';
import { newCorrelationId } from '../../observability/index.ts';
import type { Logger } from '../../observability/index.ts';
import { Role, Scope } from '../auth/roles-and-scopes.ts';
import type { Gateway } from '../gateway.ts';

export const OPERATOR_EMAIL = 'operator@localhost';

/** What `credentials.json` holds: enough for the CLI and SDK to reach and use the local node. */
export interface OperatorCredentials {
  readonly email: string;
  /** Present when this start created the user (a later start cannot recover it). */
  readonly password?: string;
  /** `<key id>.<secret>` with scopes read, trade and admin: send as `x-api-key`. */
  readonly apiKey: string;
  readonly userId: string;
  /** The operator's paper trading account. */
  readonly accountId: string;
  /** `host:port` of the gateway's gRPC endpoint. */
  readonly grpc: string;
  /** Base URL of the node's HTTP endpoint (WebSocket at `<http>/ws`, ws:// scheme). */
  readonly http: string;
  readonly nodeId: string;
  readonly createdAt: string;
}

/** `$XDG_CONFIG_HOME/ninja-gekko/credentials.json`, else `~/.config/ninja-gekko/credentials.json`. */
export function defaultCredentialsFile(env: NodeJS.ProcessEnv): string {
  const xdg = env['XDG_CONFIG_HOME'];
  const base = xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.config');
  return join(base, 'ninja-gekko', 'credentials.json');
}

/**
 * Development only: makes sure a local operator (admin) with a paper account exists and that
 * `file` (mode 0600) holds a working API key for it. A file whose key still works is left alone;
 * otherwise a new key is made and the file rewritten. Never called in production.
 */
export async function ensureDevelopmentOperator(
  gateway: Gateway,
  options: {
    readonly file: string;
    readonly grpc: string;
    readonly http: string;
    readonly nodeId: string;
    readonly logger: Logger;
  },
): Promise<void> {
  const existing = await readExisting(options.file, options.logger);
  if (existing !== undefined && (await stillWorks(gateway, existing))) {
    const updated = { ...existing, grpc: options.grpc, http: options.http, nodeId: options.nodeId };
    if (updated.grpc !== existing.grpc || updated.http !== existing.http) await save(options.file, updated);
    options.logger.warn(
      { file: options.file, email: existing.email },
      'development operator credentials are in this file',
    );
    return;
  }
  const meta = { correlationId: newCorrelationId(), sourceAddress: undefined };
  let user = await gateway.users.findByEmail(OPERATOR_EMAIL);
  let password: string | undefined;
  if (user === undefined) {
    password = randomBytes(18).toString('base64url');
    user = await gateway.sessions.register(OPERATOR_EMAIL, password, meta, [Role.ADMIN]);
  }
  const accounts = await gateway.accounts.listOwned(user.id);
  const paper =
    accounts.find((account) => account.venue === 'paper') ??
    (await gateway.accounts.create(user.id, 'paper', 'default'));
  const { credential } = await gateway.apiKeys.create(user.id, [Scope.READ, Scope.TRADE, Scope.ADMIN], []);
  const credentials: OperatorCredentials = {
    email: OPERATOR_EMAIL,
    ...(password === undefined ? {} : { password }),
    apiKey: credential,
    userId: user.id,
    accountId: paper.id,
    grpc: options.grpc,
    http: options.http,
    nodeId: options.nodeId,
    createdAt: new Date().toISOString(),
  };
  await save(options.file, credentials);
  options.logger.warn(
    { file: options.file, email: OPERATOR_EMAIL, userId: user.id },
    'development operator account ready; its API key is saved in this file (mode 0600); production never does this',
  );
}

async function readExisting(file: string, logger: Logger): Promise<OperatorCredentials | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<OperatorCredentials>;
    if (
      typeof parsed.apiKey === 'string' &&
      typeof parsed.userId === 'string' &&
      typeof parsed.accountId === 'string'
    ) {
      return parsed as OperatorCredentials;
    }
    logger.warn({ file }, 'development credentials file lacks fields; writing a new one');
  } catch (error) {
    logger.warn({ file, err: error }, 'development credentials file is not JSON; writing a new one');
  }
  return undefined;
}

async function stillWorks(gateway: Gateway, credentials: OperatorCredentials): Promise<boolean> {
  try {
    const { record } = await gateway.apiKeys.authenticate(credentials.apiKey, undefined);
    return record.userId === credentials.userId;
  } catch (error) {
    // An UNAUTHENTICATED key belongs to another database (e.g. a fresh data directory): replace it.
    if (isNinjaError(error) && error.code === 'UNAUTHENTICATED') return false;
    throw error;
  }
}

async function save(file: string, credentials: OperatorCredentials): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, file);
}
