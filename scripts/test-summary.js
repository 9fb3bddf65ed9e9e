// Prints the closing line of a test run ("N passed, N failed, N skipped") from vitest's JSON report.
import { readFileSync } from 'node:fs';

const file = process.argv[2];
if (file === undefined) throw new Error('usage: test-summary <vitest-json-report>');
const report = JSON.parse(readFileSync(file, 'utf8'));
const passed = report.numPassedTests;
const failed = report.numFailedTests;
const skipped = report.numPendingTests + report.numTodoTests;
if (typeof passed !== 'number' || typeof failed !== 'number') {
  throw new Error(`unreadable vitest report: ${file}`);
}
if (passed + failed === 0) {
  console.log('no test executed');
  process.exitCode = 1;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
