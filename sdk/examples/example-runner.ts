// Lets each example run as a script (`node cli/bin/run-ts.js sdk/examples/<name>.ts`) and be called
// by the test that runs every example against a real node (test/integration/sdk/examples.test.ts).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** What an example needs to know; as a script, read from the environment. */
export interface ExampleSettings {
  /** NINJA_GATEWAY, default 127.0.0.1:50051. */
  readonly gateway: string;
  /** NINJA_API_KEY ("<key id>.<secret>"), e.g. from the development operator's credentials.json. */
  readonly apiKey: string | undefined;
  /** NINJA_ACCOUNT: a trading account of the key's user. */
  readonly accountId: string | undefined;
  /** NINJA_EMAIL / NINJA_PASSWORD: a user to register and log in. */
  readonly email: string | undefined;
  readonly password: string | undefined;
}

export type Example<T> = (settings: ExampleSettings, print: (line: string) => void) => Promise<T>;

export function settingsFromEnv(env: NodeJS.ProcessEnv): ExampleSettings {
  return {
    gateway: env['NINJA_GATEWAY'] ?? '127.0.0.1:50051',
    apiKey: env['NINJA_API_KEY'],
    accountId: env['NINJA_ACCOUNT'],
    email: env['NINJA_EMAIL'],
    password: env['NINJA_PASSWORD'],
  };
}

/** Runs `example` when `moduleUrl` is the script node was started with; sets the exit code on failure. */
export async function runIfMain<T>(moduleUrl: string, example: Example<T>): Promise<void> {
  const script = process.argv[1];
  if (script === undefined || pathToFileURL(resolve(script)).href !== moduleUrl) return;
  try {
    await example(settingsFromEnv(process.env), (line) => process.stdout.write(`${line}\n`));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`);
    process.exitCode = 1;
  }
}

/** The setting, or an error naming the variable to set. */
export function required(value: string | undefined, variable: string): string {
  if (value === undefined || value === '') throw new Error(`set ${variable} to run this example`);
  return value;
}
