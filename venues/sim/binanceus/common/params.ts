import { SimErrors } from './errors.ts';

/** Request parameters: query string and form body merged, the query string winning (rest-api.md). */
export class Params {
  readonly #values = new Map<string, string>();

  constructor(rawQuery: string, body: string) {
    for (const [k, v] of new URLSearchParams(body)) this.#values.set(k, v);
    for (const [k, v] of new URLSearchParams(rawQuery)) this.#values.set(k, v);
  }

  get(name: string): string | undefined {
    const v = this.#values.get(name);
    return v === undefined || v.length === 0 ? undefined : v;
  }

  /** -1102 when absent or empty. */
  require(name: string): string {
    const v = this.get(name);
    if (v === undefined) throw SimErrors.mandatory(name);
    return v;
  }

  /** An integer parameter; -1102 when present but malformed. */
  int(name: string): number | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    if (!/^-?\d{1,16}$/.test(v)) throw SimErrors.mandatory(name);
    return Number(v);
  }
}
