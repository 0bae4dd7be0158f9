/**
 * The `vig` executable: runs the command line and exits with its code once
 * everything it started has finished (no `process.exit`, so a handle left
 * open would show as a process that does not end).
 */
import { runCli } from './run-cli.js';

process.exitCode = await runCli(process.argv.slice(2));
