import { describe, expect, it } from 'vitest';
import { readinessScanner } from './server-process.ts';

const LINE = '2026-11-27 07:00:00.000 UTC [42] LOG:  database system is ready to accept connections\n';

describe('readinessScanner', () => {
  it('sees the readiness line in one chunk, with more output after it', () => {
    const ready = readinessScanner();
    expect(ready('LOG:  starting PostgreSQL 18.4\n')).toBe(false);
    expect(ready(LINE + 'x'.repeat(500))).toBe(true);
    expect(ready('later output')).toBe(true);
  });

  it('sees it when it straddles chunks', () => {
    const ready = readinessScanner();
    const cut = LINE.indexOf('ready') + 3;
    expect(ready('y'.repeat(300) + LINE.slice(0, cut))).toBe(false);
    expect(ready(LINE.slice(cut))).toBe(true);
  });

  it('is not fooled by other lines', () => {
    const ready = readinessScanner();
    expect(ready('LOG:  database system is shut down\n')).toBe(false);
    expect(ready('FATAL:  could not bind IPv4 address "127.0.0.1": Address already in use\n')).toBe(false);
  });
});
