import { Command } from 'commander';
import { InternalError } from '../../domain/errors.ts';
import type { CliContext } from '../context.ts';
import { deleteSession, loadSession, saveSession } from './client-credentials.ts';
import { formatFields, isoTime, print } from './client-output.ts';
import { passwordOf, passwordOptions } from './client-password.ts';
import type { PasswordFlags } from './client-password.ts';
import { clientOptions, gatewayOf, withClient } from './client-session.ts';
import type { ClientFlags } from './client-session.ts';

interface LoginFlags extends ClientFlags, PasswordFlags {
  readonly email: string;
}

/** `gekko login`: e-mail and password → a session stored (0600) for the later client commands. */
export function loginCommand(context: CliContext): Command {
  return clientOptions(
    passwordOptions(
      new Command('login')
        .description(
          'log in to a gateway; later client commands use the stored session (refreshed as needed)',
        )
        .requiredOption('--email <e-mail>', 'your e-mail'),
      'your password',
    ),
  ).action(async (flags: LoginFlags) => {
    const gateway = gatewayOf(context, flags);
    const password = await passwordOf(context, flags, flags.email);
    await withClient(
      context,
      flags,
      async ({ client }) => {
        const user = await client.login(flags.email, password);
        const tokens = client.tokens;
        if (tokens === undefined) throw new InternalError('login kept no session');
        const file = saveSession(context.env, { gateway, email: user.email, userId: user.userId, tokens });
        const result = {
          gateway,
          userId: user.userId,
          email: user.email,
          roles: user.roles,
          sessionFile: file,
        };
        print(context, flags, { ...result, accessTokenExpireTime: tokens.accessTokenExpireTime }, () => [
          `logged in to ${gateway} as ${user.email}`,
          ...formatFields([
            ['user', user.userId],
            ['roles', user.roles.join(', ')],
            ['session', file],
            ['session ends', isoTime(tokens.refreshTokenExpireTime)],
          ]),
        ]);
      },
      { anonymous: true },
    );
  });
}

/** `gekko logout`: revokes the stored session at the gateway and deletes it. */
export function logoutCommand(context: CliContext): Command {
  return clientOptions(
    new Command('logout')
      .description('end the stored login session (at the gateway too)')
      .option('--all-sessions', 'also end every other session of this user'),
  ).action(async (flags: ClientFlags & { readonly allSessions?: boolean }) => {
    const session = loadSession(context.env);
    if (session === undefined) {
      print(context, flags, { loggedOut: false }, () => ['not logged in']);
      return;
    }
    await withClient(context, { ...flags, gateway: session.gateway }, ({ client }) =>
      client.auth.logout(session.tokens.refreshToken, flags.allSessions === true),
    );
    deleteSession(context.env);
    print(context, flags, { loggedOut: true, email: session.email }, () => [`logged out ${session.email}`]);
  });
}
