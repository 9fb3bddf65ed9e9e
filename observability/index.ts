export { createLogger, newCorrelationId, withCorrelation } from './logger.ts';
export type { Logger, LoggerSettings } from './logger.ts';
export { MetricsRegistry } from './metrics.ts';
export { TalliedHistogram } from './tallied-histogram.ts';
export type { TalliedHistogramOptions } from './tallied-histogram.ts';
