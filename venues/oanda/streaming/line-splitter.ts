/** Splits a chunked byte stream into lines: a line may span chunks and a chunk may hold many lines. */
export class LineSplitter {
  readonly #decoder = new TextDecoder('utf-8');
  #partial = '';
  /** Longest line kept while waiting for its newline; beyond it the line is dropped and reported. */
  readonly #maxLine: number;

  constructor(maxLine = 1 << 20) {
    this.#maxLine = maxLine;
  }

  /** The complete, non-empty lines in `chunk` (without `\r\n` / `\n`), plus whether an overlong line was dropped. */
  push(chunk: Uint8Array): { lines: string[]; overflow: boolean } {
    const text = this.#partial + this.#decoder.decode(chunk, { stream: true });
    const lines: string[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      if (end > start) lines.push(text.slice(start, end));
      start = nl + 1;
    }
    this.#partial = text.slice(start);
    const overflow = this.#partial.length > this.#maxLine;
    if (overflow) this.#partial = '';
    return { lines, overflow };
  }

  reset(): void {
    this.#partial = '';
  }
}
