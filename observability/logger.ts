import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import type { DestinationStream, Logger as PinoLogger, LoggerOptions } from 'pino';

export type Logger = PinoLogger;

export interface LoggerSettings {
  readonly level: string;
  readonly name?: string;
  /** Where JSON lines go; defaults to stdout. Tests pass a stream to read what was logged. */
  readonly destination?: NodeJS.WritableStream;
}

/**
 * Field names never written to logs: pino replaces their values with "[redacted]" wherever they
 * appear at these paths.
 */
const REDACTED_PATHS = [
  'password',
  'secret',
  'apiSecret',
  'token',
  'accessToken',
  'refreshToken',
  'authorization',
  'privateKey',
  'encryptionKey',
  '*.password',
  '*.secret',
  '*.apiSecret',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.authorization',
  '*.privateKey',
  '*.encryptionKey',
  'database.url',
  'config.database.url',
];

/** The process logger: JSON lines, ISO time, secrets redacted. */
export function createLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: settings.level,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
  };
  if (settings.name !== undefined) options.name = settings.name;
  return settings.destination === undefined
    ? pino(options)
    : pino(options, settings.destination as DestinationStream);
}

/** A new correlation id: one per client request or externally triggered actor message. */
export function newCorrelationId(): string {
  return randomUUID();
}

/**
 * A child logger whose every line carries `correlationId`; pass it down the call chain of one
 * request or message so that all its lines can be found together.
 */
export function withCorrelation(
  logger: Logger,
  correlationId: string,
  bindings: Record<string, unknown> = {},
): Logger {
  return logger.child({ ...bindings, correlationId });
}
