/**
 * Where the `vig` command writes. The process's own streams by default;
 * an embedding program or a test passes its own.
 */

/** A place to write text, as `process.stdout` is. */
export interface TextOutput {
  /** Writes `text` as it is (the caller adds line breaks). */
  write(text: string): void;
  /** Whether this is a terminal, where the demo rewrites one progress line in place. */
  readonly isTTY: boolean;
}

/** The command's two outputs. */
export interface CliIo {
  /** Results, help, the demo's report, and `serve`'s JSON log lines. */
  readonly stdout: TextOutput;
  /** Failures: one line each. */
  readonly stderr: TextOutput;
}

/** The running process's stdout and stderr. */
export function processIo(): CliIo {
  return {
    stdout: {
      write: (text) => void process.stdout.write(text),
      isTTY: process.stdout.isTTY === true,
    },
    stderr: {
      write: (text) => void process.stderr.write(text),
      isTTY: process.stderr.isTTY === true,
    },
  };
}
