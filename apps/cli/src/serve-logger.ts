import { pino } from 'pino';
import type { Logger } from 'pino';
import type { TextOutput } from './cli-io.js';

/** The levels `vig serve --log-level` accepts, quietest last. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * `vig serve`'s logger: pino's JSON lines (`{"level":30,"time":…,"msg":"started",…}`)
 * written straight to `output`, one whole line per write, so nothing is
 * buffered when the process stops.
 */
export function createServeLogger(output: TextOutput, level: LogLevel): Logger {
  return pino({ level, base: { pid: process.pid } }, { write: (line) => output.write(line) });
}
