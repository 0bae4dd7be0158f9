/**
 * @packageDocumentation
 * The `vig` command: run a node in the foreground (`vig serve`, sealed with a
 * cluster key from `vig keygen`), read and write keys through any node
 * (`put`, `get`, `search`, `agg`, `members`),
 * use them as sketches (`hll`, `counter`, `bloom`, `minhash`, with
 * HyperLogLogs moved to and from Redis), keep versioned JSON documents with
 * history, siblings and branches (`doc`), and watch a local cluster converge
 * (`vig demo`). Built on commander; exit codes
 * are 0 (done), 1 (the work failed) and 2 (bad usage), each failure one line
 * on stderr. This entry exports the command builder, so a program can embed
 * `vig` or run it in-process.
 *
 * @example
 * ```ts
 * import { createProgram, runCli } from '@vig/cli';
 *
 * // Runs `vig demo --nodes 3` in this process and returns its exit code.
 * const exitCode = await runCli(['demo', '--nodes', '3']);
 *
 * // The commander program itself, writing to your own sinks.
 * const lines: string[] = [];
 * const program = createProgram({
 *   stdout: { write: (text) => void lines.push(text), isTTY: false },
 *   stderr: { write: (text) => void lines.push(text), isTTY: false },
 * });
 * console.log(exitCode, program.commands.map((command) => command.name()));
 * ```
 */
export { createProgram } from './create-program.js';
export { runCli } from './run-cli.js';
export { processIo } from './cli-io.js';
export type { CliIo, TextOutput } from './cli-io.js';
export { EXIT_FAILURE, EXIT_SUCCESS, EXIT_USAGE } from './exit-codes.js';
export type { ExitCode } from './exit-codes.js';
export { UsageError } from './usage-error.js';
export { DemoTimeoutError } from './demo-timeout-error.js';
export { DemoDisagreementError } from './demo-disagreement-error.js';
export { CounterStateError } from './counter-state-error.js';
export { RedisValueError } from './redis-value-error.js';
export { StateLockError } from './state-lock-error.js';
export { ClientNoAnswerError } from './client-no-answer-error.js';
export { DocumentRefusedError } from './document-refused-error.js';
export { ServeProtectedModeError } from './serve-protected-mode-error.js';
export { KeyFileExistsError } from './key-file-exists-error.js';
export { KeyFileWriteError } from './key-file-write-error.js';
export { runServe } from './run-serve.js';
export type { ServeOptions } from './run-serve.js';
export { runDemo } from './run-demo.js';
export type { DemoOptions } from './run-demo.js';
export { LOG_LEVELS } from './serve-logger.js';
export type { LogLevel } from './serve-logger.js';
export { DEFAULT_NODE, DEFAULT_TIMEOUT } from './client-options.js';
export { KEY_FILE_VARIABLE, LABEL_VARIABLE } from './key-options.js';
export { RELOAD_SIGNAL } from './key-reload.js';
