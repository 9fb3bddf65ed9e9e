import { createLogger } from '../../observability/index.ts';
import type { Logger } from '../../observability/index.ts';

/**
 * Logger for test code and the servers it starts: errors only (tests provoke many expected
 * warnings), unless NINJA_TEST_LOG_LEVEL asks for more.
 */
export function testLogger(name = 'test'): Logger {
  return createLogger({
    level: process.env.NINJA_TEST_LOG_LEVEL ?? 'error',
    name,
    destination: process.stderr,
  });
}
