import type { z } from 'zod';
import { InvalidArgumentError } from '../../domain/errors.ts';

/** `instrumentId.symbol` → `instrument_id.symbol`: errors name fields as the .proto does. */
export function protoFieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'request';
  return path
    .map((part) =>
      typeof part === 'string' ? part.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) : String(part),
    )
    .join('.');
}

/**
 * Checks the JSON form of a request against its schema; InvalidArgumentError naming the first bad
 * field (as in the .proto) otherwise.
 */
export function validateRequest<T>(schema: z.ZodType<T>, json: unknown): T {
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  // An unknown field is usually a misspelt one: name it rather than the "missing" field it was meant to be.
  const issues = result.error.issues;
  const issue = issues.find((candidate) => candidate.code === 'unrecognized_keys') ?? issues[0];
  if (issue === undefined) throw new InvalidArgumentError('request', 'is invalid');
  const field = protoFieldPath(
    issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path,
  );
  const message = issue.code === 'unrecognized_keys' ? 'is not a field of this message' : issue.message;
  throw new InvalidArgumentError(field, message);
}
