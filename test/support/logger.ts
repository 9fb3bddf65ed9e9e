import { createLogger } from '../../observability/index.ts';
import type { Logger } from '../../observability/index.ts';

/** Logger for test code and the servers it starts: warnings and errors only, unless NINJA_TEST_LOG_LEVEL says otherwise. */
export function testLogger(name = 'test'): Logger {
  return createLogger({
    level: process.env.NINJA_TEST_LOG_LEVEL ?? 'warn',
    name,
    destination: process.stderr,
  });
}
