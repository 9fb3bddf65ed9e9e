import { Command } from 'commander';
import type { User } from '../../sdk/index.ts';
import type { CliContext } from '../context.ts';
import { formatFields, isoTime, print } from './client-output.ts';
import { passwordOf, passwordOptions } from './client-password.ts';
import type { PasswordFlags } from './client-password.ts';
import { clientOptions, withClient } from './client-session.ts';
import type { ClientFlags } from './client-session.ts';

interface CreateFlags extends ClientFlags, PasswordFlags {
  readonly email: string;
}

export function userFields(user: User): string[] {
  return formatFields([
    ['user', user.userId],
    ['email', user.email],
    ['roles', user.roles.join(', ')],
    ['created', isoTime(user.createTime)],
  ]);
}

/** `gekko user create`: registers a user (trader role) through the gateway. */
export function userCommand(context: CliContext): Command {
  const user = new Command('user').description('users of the gateway');
  user.addCommand(
    clientOptions(
      passwordOptions(
        new Command('create')
          .description('register a user with the trader role (then `gekko login`)')
          .requiredOption('--email <e-mail>', 'e-mail, stored lower case'),
        '12 to 256 characters',
      ),
    ).action(async (flags: CreateFlags) => {
      const password = await passwordOf(context, flags, flags.email);
      const created = await withClient(
        context,
        flags,
        ({ client }) => client.auth.register(flags.email, password),
        {
          anonymous: true,
        },
      );
      print(context, flags, created, () => [`created user ${created.email}`, ...userFields(created)]);
    }),
  );
  return user;
}
