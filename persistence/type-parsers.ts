import pg from 'pg';
import type { CustomTypesConfig } from 'pg';

/** PostgreSQL type OIDs whose default JavaScript mapping would lose precision. */
const Oid = {
  INT8: 20,
  INT8_ARRAY: 1016,
  NUMERIC: 1700,
  NUMERIC_ARRAY: 1231,
} as const;

const identity = (value: string): string => value;

/**
 * Parses the text form of a one- or more-dimensional array of unquoted scalars (what PostgreSQL
 * and CockroachDB print for NUMERIC[] and INT8[]) into nested arrays of strings.
 */
export function parseUnquotedArray(text: string): unknown[] {
  let position = 0;
  const parseLevel = (): unknown[] => {
    if (text[position] !== '{') throw new SyntaxError(`array literal: expected "{" at ${position}`);
    position += 1;
    const items: unknown[] = [];
    if (text[position] === '}') {
      position += 1;
      return items;
    }
    for (;;) {
      if (text[position] === '{') {
        items.push(parseLevel());
      } else {
        const start = position;
        while (position < text.length && text[position] !== ',' && text[position] !== '}') position += 1;
        const element = text.slice(start, position);
        items.push(element === 'NULL' ? null : element);
      }
      const separator = text[position];
      position += 1;
      if (separator === '}') return items;
      if (separator !== ',') throw new SyntaxError(`array literal: expected "," or "}" at ${position - 1}`);
    }
  };
  // A lower-bound prefix such as "[0:1]=" appears only for arrays not starting at 1.
  const equals = text.startsWith('[') ? text.indexOf('=') : -1;
  if (equals >= 0) position = equals + 1;
  return parseLevel();
}

const TEXT_OVERRIDES: ReadonlyMap<number, (value: string) => unknown> = new Map<
  number,
  (value: string) => unknown
>([
  [Oid.INT8, identity],
  [Oid.NUMERIC, identity],
  [Oid.INT8_ARRAY, parseUnquotedArray],
  [Oid.NUMERIC_ARRAY, parseUnquotedArray],
]);

/**
 * Type parsers for one pool: NUMERIC and INT8 (and their arrays) come back as exact strings, never
 * JavaScript numbers. Scoped to the pools we create, so that neither pg's global defaults (which
 * parse NUMERIC[] as floats) nor another module's changes to `pg.types` can alter money values.
 */
export function exactTypeParsers(): CustomTypesConfig {
  const getTypeParser = ((oid: number, format?: 'text' | 'binary') => {
    if (format !== 'binary') {
      const override = TEXT_OVERRIDES.get(oid);
      if (override !== undefined) return override;
    }
    return pg.types.getTypeParser(oid, format) as (value: string) => unknown;
  }) as CustomTypesConfig['getTypeParser'];
  return { getTypeParser };
}
