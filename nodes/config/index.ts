export { ConfigError } from './config-error.ts';
export type { ConfigIssue } from './config-error.ts';
export { NinjaEnv, configSchema } from './config-schema.ts';
export type { ParsedConfig } from './config-schema.ts';
export { ENV_BINDINGS, defaultConfig, loadConfig } from './load-config.ts';
export type { LoadConfigOptions } from './load-config.ts';
export { resolveSecrets } from './resolve-secrets.ts';
export type { Config } from './resolve-secrets.ts';
