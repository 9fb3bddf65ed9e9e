export { createLogger, newCorrelationId, withCorrelation } from './logger.ts';
export type { Logger, LoggerSettings } from './logger.ts';
export { MetricsRegistry } from './metrics.ts';
