/**
 * The `vig` command's exit codes, as in most Unix tools: 0 for success, 1 when
 * the work failed (no node answered, a node could not start), 2 when the
 * command line itself was wrong.
 */

/** The command did what was asked. */
export const EXIT_SUCCESS = 0;

/** The command line was fine but the work failed: one line on stderr says why. */
export const EXIT_FAILURE = 1;

/** The command line was wrong (unknown option, missing argument, bad value): one line on stderr. */
export const EXIT_USAGE = 2;

/** One of the three exit codes. */
export type ExitCode = typeof EXIT_SUCCESS | typeof EXIT_FAILURE | typeof EXIT_USAGE;
