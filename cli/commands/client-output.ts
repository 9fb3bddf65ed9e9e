import { shownDecimal, significantDecimals } from '../../domain/values/decimal-text.ts';
import type { CliContext } from '../context.ts';

/** One column of a table: its header and how to read the cell from a row. */
export interface Column<T> {
  readonly header: string;
  readonly cell: (row: T) => string | undefined;
  /** Right-align (numbers). */
  readonly right?: boolean;
  /**
   * Decimal text (right-aligned): shown with as many decimals as the column's most precise value
   * needs, without the zeros a venue pads to its fixed precision (`30183.93000000` → `30183.93`).
   * The value is exact either way; `--json` keeps the text as the gateway answered it.
   */
  readonly decimal?: boolean;
}

/** Rows as an aligned text table (two spaces between columns, "-" for an empty cell). */
export function formatTable<T>(columns: readonly Column<T>[], rows: readonly T[]): string[] {
  const read = rows.map((row) => columns.map((column) => column.cell(row)));
  const decimals = columns.map((column, i) =>
    column.decimal === true ? Math.max(0, ...read.map((r) => significantDecimals(r[i] ?? ''))) : 0,
  );
  const cells = read.map((r) =>
    r.map((value, i) =>
      value === undefined
        ? '-'
        : columns[i]?.decimal === true
          ? shownDecimal(value, decimals[i] ?? 0)
          : value,
    ),
  );
  const widths = columns.map((column, i) =>
    Math.max(column.header.length, ...cells.map((r) => (r[i] ?? '').length)),
  );
  const line = (values: readonly string[]): string =>
    values
      .map((value, i) =>
        columns[i]?.right === true || columns[i]?.decimal === true
          ? value.padStart(widths[i] ?? 0)
          : value.padEnd(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [line(columns.map((column) => column.header)), ...cells.map(line)];
}

/** `name: value` lines with the names aligned. */
export function formatFields(fields: readonly (readonly [string, string | undefined])[]): string[] {
  const width = Math.max(...fields.map(([name]) => name.length));
  return fields.map(([name, value]) => `${`${name}:`.padEnd(width + 1)} ${value ?? '-'}`);
}

/** JSON for scripts: Dates as ISO 8601, bigints as strings, undefined fields left out. */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item),
    2,
  );
}

export interface OutputFlags {
  readonly json?: boolean | undefined;
}

/** Prints `value` as JSON with --json, else the human lines. */
export function print(context: CliContext, flags: OutputFlags, value: unknown, human: () => string[]): void {
  if (flags.json === true) context.out(toJson(value));
  else for (const line of human()) context.out(line);
}

export function isoTime(date: Date | undefined): string | undefined {
  return date?.toISOString();
}
