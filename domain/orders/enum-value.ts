import { InvalidArgumentError } from '../errors.ts';

/**
 * Checks that `text` is one of the values of a const-object enum and returns it typed; otherwise
 * throws an `InvalidArgumentError` naming `field` and listing the accepted values.
 */
export function parseEnumValue<T extends string>(
  values: Readonly<Record<string, T>>,
  text: unknown,
  field: string,
): T {
  if (typeof text === 'string' && Object.hasOwn(values, text) && values[text] === text) return text as T;
  const given = typeof text === 'string' ? JSON.stringify(text) : typeof text;
  throw new InvalidArgumentError(field, `must be one of ${Object.values(values).join(', ')}, got ${given}`);
}
