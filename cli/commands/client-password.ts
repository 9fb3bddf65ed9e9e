import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { AbortedError, InvalidArgumentError } from '../../domain/errors.ts';
import type { CliContext } from '../context.ts';

/** The password flags of `gekko login` and `gekko user create`. */
export interface PasswordFlags {
  readonly password?: string;
  readonly passwordStdin?: boolean;
}

/** Adds --password and --password-stdin; `hint` says what a password must be. */
export function passwordOptions(command: Command, hint: string): Command {
  return command
    .option(
      '--password <password>',
      `${hint}; visible to other users of this machine, prefer the prompt or --password-stdin`,
    )
    .option('--password-stdin', 'read the password from the first line of standard input')
    .addHelpText(
      'after',
      '\nWithout a password flag: $NINJA_PASSWORD, else a prompt that does not echo (or the first\n' +
        'line of standard input when it is not a terminal).',
    );
}

/** A terminal's input: raw mode turns echo (and line editing) off. */
interface TerminalInput extends NodeJS.ReadableStream {
  readonly isTTY?: boolean;
  setRawMode?(raw: boolean): unknown;
}

const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const BACKSPACE = new Set(['\u007f', '\b']);

/**
 * The password from --password, --password-stdin (the first line of standard input), or
 * $NINJA_PASSWORD; otherwise asked for on the terminal without echo, or, when standard input is
 * not a terminal, its first line.
 */
export async function passwordOf(context: CliContext, flags: PasswordFlags, email: string): Promise<string> {
  if (flags.password !== undefined && flags.passwordStdin === true) {
    throw new InvalidArgumentError(
      '--password-stdin',
      'give either --password or --password-stdin, not both',
    );
  }
  if (flags.password !== undefined) return nonEmpty(flags.password, '--password');
  const input: TerminalInput = context.stdin ?? process.stdin;
  if (flags.passwordStdin === true) return nonEmpty(await firstLine(input), '--password-stdin');
  const fromEnv = context.env['NINJA_PASSWORD'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const setRawMode = input.setRawMode?.bind(input);
  if (input.isTTY === true && setRawMode !== undefined) {
    return nonEmpty(await hiddenLine(input, setRawMode, `password for ${email}: `), '--password');
  }
  return nonEmpty(await firstLine(input), '--password');
}

function nonEmpty(password: string, field: string): string {
  if (password.length === 0) {
    throw new InvalidArgumentError(
      field,
      'no password given (--password, --password-stdin, NINJA_PASSWORD or the prompt)',
    );
  }
  return password;
}

/** The first line of `input` ('' when it ends first), without its line ending. */
function firstLine(input: NodeJS.ReadableStream): Promise<string> {
  const lines = createInterface({ input, terminal: false, crlfDelay: Infinity });
  return new Promise<string>((resolve, reject) => {
    let answered = false;
    lines.once('line', (line) => {
      answered = true;
      resolve(line);
      lines.close();
    });
    lines.once('close', () => {
      if (!answered) resolve('');
    });
    input.once('error', reject);
  });
}

/**
 * One line typed on the terminal with echo off (raw mode): Enter ends it, Backspace deletes,
 * Ctrl-C cancels, Ctrl-D on an empty line gives ''. The prompt and the final newline go to stderr.
 */
function hiddenLine(
  input: NodeJS.ReadableStream,
  setRawMode: (raw: boolean) => unknown,
  prompt: string,
): Promise<string> {
  // Echo off before the prompt shows: nothing typed in answer to it is echoed.
  setRawMode(true);
  process.stderr.write(prompt);
  input.setEncoding('utf8');
  input.resume();
  return new Promise<string>((resolve, reject) => {
    let typed: string[] = [];
    const finish = (): void => {
      input.off('data', onData);
      setRawMode(false);
      input.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string | Buffer): void => {
      for (const character of String(chunk)) {
        if (character === '\r' || character === '\n' || (character === CTRL_D && typed.length === 0)) {
          finish();
          resolve(typed.join(''));
          return;
        }
        if (character === CTRL_C) {
          finish();
          reject(new AbortedError('password prompt cancelled (Ctrl-C)'));
          return;
        }
        if (BACKSPACE.has(character)) typed = typed.slice(0, -1);
        else typed.push(character);
      }
    };
    input.on('data', onData);
  });
}
