import type { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { addClientOptions } from './client-options.js';
import { withDocuments } from './doc-client.js';
import { readLog } from './doc-log-pages.js';
import { operationJson, operationText } from './doc-log-output.js';
import { docKey } from './doc-options.js';
import type { DocOptions } from './doc-options.js';
import { writeJsonLine } from './json-line.js';
import { integerInRange } from './parse-integer.js';

/** How many operations `vig doc log` prints when no `--limit` is given. */
export const DEFAULT_DOC_LOG_LIMIT = 20;

/** The largest `--limit` of `vig doc log`. */
const MAX_DOC_LOG_LIMIT = 1_000_000;

/** The options of `vig doc log`. */
interface DocLogOptions extends DocOptions {
  /** The most operations to print. */
  readonly limit: number;
}

/** Adds `vig doc log [KEY] [--limit N] [--json]`. */
export function addDocLogCommand(doc: Command, io: CliIo): void {
  const command = doc
    .command('log')
    .description(
      "a node's history of document writes, newest first: each operation's version, parents, and the keys it wrote with their values (one line each)",
    )
    .argument('[KEY]', 'only the operations writing this key', docKey)
    .option(
      '--limit <N>',
      `the most operations to print, 1..${MAX_DOC_LOG_LIMIT}`,
      integerInRange('--limit', 1, MAX_DOC_LOG_LIMIT),
      DEFAULT_DOC_LOG_LIMIT,
    )
    .option(
      '--json',
      'print one JSON line per operation: {"version":…,"parents":[…],"writes":[{"key":…,"value":…,"replaces":[…]}]}',
    );
  addClientOptions(command).action(async (key: string | undefined, options: DocLogOptions) => {
    const operations = await withDocuments(options, (documents) =>
      readLog(documents, key, options.limit),
    );
    if (options.json === true) {
      for (const operation of operations) writeJsonLine(io.stdout, operationJson(operation));
    } else if (operations.length === 0) {
      io.stdout.write(key === undefined ? 'no operations\n' : `no operation writes ${key}\n`);
    } else {
      io.stdout.write(operations.map((operation) => `${operationText(operation)}\n`).join(''));
    }
  });
}
