import { createLogger } from '../../observability/index.ts';
import type { Logger } from '../../observability/index.ts';

/**
 * Logger for test code and the servers it starts: fatal only, since tests provoke many expected
 * errors and their lines would bury a real failure; NINJA_TEST_LOG_LEVEL=debug shows everything.
 */
export function testLogger(name = 'test'): Logger {
  return createLogger({
    level: process.env.NINJA_TEST_LOG_LEVEL ?? 'fatal',
    name,
    destination: process.stderr,
  });
}
