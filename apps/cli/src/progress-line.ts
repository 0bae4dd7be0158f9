import type { TextOutput } from './cli-io.js';

/** Erases from the cursor to the end of the line (ANSI "erase in line"). */
const ERASE_TO_END = '\u001b[K';

/**
 * One line of progress. On a terminal it is rewritten in place (`\r`) as
 * things change and kept when finished; elsewhere (a pipe, a file, a test)
 * only the finished line is written, so logs stay plain.
 */
export class ProgressLine {
  readonly #output: TextOutput;
  #shown: string | undefined;

  constructor(output: TextOutput) {
    this.#output = output;
  }

  /** Shows `text` in place of the line so far (terminals only; the same text again writes nothing). */
  update(text: string): void {
    if (!this.#output.isTTY || text === this.#shown) return;
    this.#output.write(`\r${text}${ERASE_TO_END}`);
    this.#shown = text;
  }

  /** Ends a line left unfinished (on a failure), so what follows starts on a line of its own. */
  abandon(): void {
    if (this.#shown !== undefined) this.#output.write('\n');
    this.#shown = undefined;
  }

  /** Writes `text` as the line's final form and moves to the next line. */
  finish(text: string): void {
    const shown = this.#shown !== undefined;
    this.#output.write(`${shown ? '\r' : ''}${text}${shown ? ERASE_TO_END : ''}\n`);
    this.#shown = undefined;
  }
}

/** A bar of `width` cells, `done` of `total` filled: `■■■□□`. */
export function progressBar(done: number, total: number, width = total): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return '■'.repeat(filled) + '□'.repeat(width - filled);
}
