/**
 * A connection URL safe to log: the password (if any) is replaced by `***`. A string that does not
 * parse as a URL is not echoed at all, since it may still contain a secret.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    // Deliberately not including the input or the parser's message: both may hold the password.
    return `<unparseable database URL: ${error instanceof Error ? error.name : 'error'}>`;
  }
  if (parsed.password !== '') parsed.password = '***';
  return parsed.toString();
}
