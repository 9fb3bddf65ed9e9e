import { createInterface } from 'node:readline/promises';
import { InvalidArgumentError } from '../../domain/errors.ts';
import type { CliContext } from '../context.ts';

/** The password from --password, $NINJA_PASSWORD, or one line of standard input. */
export async function passwordOf(
  context: CliContext,
  flag: string | undefined,
  email: string,
): Promise<string> {
  if (flag !== undefined) return flag;
  const fromEnv = context.env['NINJA_PASSWORD'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const prompt = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  try {
    const line = await prompt.question(`password for ${email}: `);
    if (line.length === 0)
      throw new InvalidArgumentError('--password', 'no password given (flag, NINJA_PASSWORD or stdin)');
    return line;
  } finally {
    prompt.close();
  }
}
