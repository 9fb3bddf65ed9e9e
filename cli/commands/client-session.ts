import type { Command } from 'commander';
import {
  InvalidArgumentError,
  UnauthenticatedError,
  UnavailableError,
  isNinjaError,
} from '../../domain/errors.ts';
import { DEFAULT_GATEWAY_ADDRESS, GatewayUnreachableError, NinjaClient } from '../../sdk/index.ts';
import type { CliContext } from '../context.ts';
import { resolveCredentials, saveSession } from './client-credentials.ts';
import type { ResolvedCredentials } from './client-credentials.ts';

/** Flags every client command takes. */
export interface ClientFlags {
  readonly gateway?: string | undefined;
  readonly apiKey?: string | undefined;
  readonly json?: boolean | undefined;
}

/** Adds --gateway, --api-key and --json to a client command. */
export function clientOptions(command: Command): Command {
  return command
    .option(
      '--gateway <host:port>',
      `gateway gRPC address (default $NINJA_GATEWAY or ${DEFAULT_GATEWAY_ADDRESS})`,
    )
    .option('--api-key <key>', 'API key "<key id>.<secret>" (default $NINJA_API_KEY, then the stored login)')
    .option('--json', 'print JSON for scripts instead of a table');
}

export function gatewayOf(context: CliContext, flags: ClientFlags): string {
  const address = flags.gateway ?? context.env['NINJA_GATEWAY'] ?? DEFAULT_GATEWAY_ADDRESS;
  if (!/^[^\s:]+:\d{1,5}$/.test(address) && !/^\[[0-9a-fA-F:]+\]:\d{1,5}$/.test(address)) {
    throw new InvalidArgumentError('--gateway', `${JSON.stringify(address)} is not host:port`);
  }
  return address;
}

export interface ClientSession {
  readonly client: NinjaClient;
  readonly credentials: ResolvedCredentials;
}

/** A client for the gateway with the credentials the flags, the environment or the config dir give. */
export function openClient(context: CliContext, flags: ClientFlags, anonymous = false): ClientSession {
  const address = gatewayOf(context, flags);
  const credentials: ResolvedCredentials = anonymous
    ? { source: 'none' }
    : resolveCredentials(context, address, flags.apiKey);
  switch (credentials.source) {
    case 'flag':
    case 'env':
    case 'operator':
      return { client: new NinjaClient({ address, apiKey: credentials.apiKey }), credentials };
    case 'login': {
      const { session } = credentials;
      const client = new NinjaClient({
        address,
        tokens: session.tokens,
        // The old refresh token dies on use: keep the new pair, or the next command is logged out.
        onTokens: (tokens) => saveSession(context.env, { ...session, tokens }),
      });
      return { client, credentials };
    }
    case 'none':
      return { client: new NinjaClient({ address }), credentials };
  }
}

/**
 * Runs `use` with a client, closes it, and turns the errors people meet into advice. `anonymous`
 * skips looking for credentials (login and registration need none, and must work with a damaged
 * session file).
 */
export async function withClient<T>(
  context: CliContext,
  flags: ClientFlags,
  use: (session: ClientSession) => Promise<T>,
  options: { readonly anonymous?: boolean } = {},
): Promise<T> {
  const session = openClient(context, flags, options.anonymous === true);
  try {
    return await use(session);
  } catch (error) {
    throw explain(error, session);
  } finally {
    session.client.close();
  }
}

function explain(error: unknown, session: ClientSession): unknown {
  if (error instanceof GatewayUnreachableError) {
    return new UnavailableError(
      `cannot reach the gateway at ${error.address} (${reasonOf(error.message)}). ` +
        'Start a node with `npm start` (or `gekko start`), or name another gateway with --gateway host:port.',
      { cause: error },
    );
  }
  if (isNinjaError(error) && error.code === 'UNAUTHENTICATED') {
    const how =
      session.credentials.source === 'none'
        ? 'no credentials were given'
        : `the credentials from ${describe(session.credentials)} were refused`;
    return new UnauthenticatedError(
      `${error.message} (${how}). Log in with \`gekko login --email <e-mail>\`, or pass --api-key / set NINJA_API_KEY.`,
      { cause: error },
    );
  }
  return error;
}

/** grpc-js's "No connection established. Last error: Error: connect ECONNREFUSED …" → "connect ECONNREFUSED …". */
function reasonOf(message: string): string {
  const last = /Last error: (?:Error: )?(.*?)\.?\s*(?:Resolution note:.*)?$/s.exec(message);
  return last?.[1] ?? message.replace(/^cannot reach the gateway at \S+: /, '');
}

function describe(credentials: ResolvedCredentials): string {
  switch (credentials.source) {
    case 'flag':
      return '--api-key';
    case 'env':
      return 'NINJA_API_KEY';
    case 'login':
      return `the stored login of ${credentials.session.email}`;
    case 'operator':
      return 'the development operator credentials';
    case 'none':
      return 'nowhere';
  }
}

/**
 * The trading account a command acts on: --account, $NINJA_ACCOUNT, the development operator's
 * paper account, or the caller's only account.
 */
export async function accountOf(
  context: CliContext,
  session: ClientSession,
  flag: string | undefined,
): Promise<string> {
  if (flag !== undefined) return flag;
  const fromEnv = context.env['NINJA_ACCOUNT'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (session.credentials.source === 'operator') return session.credentials.accountId;
  const accounts = await session.client.accounts.listAccounts();
  const [only] = accounts;
  if (accounts.length === 1 && only !== undefined) return only.accountId;
  throw new InvalidArgumentError(
    '--account',
    accounts.length === 0
      ? 'you own no trading account'
      : `you own ${String(accounts.length)} accounts; choose one with --account <id>: ${accounts
          .map((a) => `${a.accountId} (${a.venue} ${a.name})`)
          .join(', ')}`,
  );
}
