import { loadConfig, resolveSecrets } from '../nodes/config/index.ts';
import type { Config } from '../nodes/config/index.ts';
import { createLogger } from '../observability/index.ts';
import type { Logger } from '../observability/index.ts';

/** What every command gets: where to print, and how to load the node configuration. */
export interface CliContext {
  readonly env: NodeJS.ProcessEnv;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Where passwords are read from; default process.stdin (tests give their own stream). */
  readonly stdin?: NodeJS.ReadableStream & { readonly isTTY?: boolean };
}

export interface LoadedNode {
  readonly config: Config;
  readonly logger: Logger;
}

/** Loads and validates the configuration, then creates the logger it asks for. */
export function loadNode(context: CliContext, configFile: string | undefined): LoadedNode {
  const parsed = loadConfig(
    configFile === undefined ? { env: context.env } : { env: context.env, file: configFile },
  );
  const logger = createLogger({ level: parsed.logLevel, name: parsed.nodeId, destination: process.stderr });
  return { config: resolveSecrets(parsed, logger), logger };
}
