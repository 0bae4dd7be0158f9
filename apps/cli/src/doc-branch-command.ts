import type { Command } from 'commander';
import { writeAnswer } from './answer-line.js';
import type { CliIo } from './cli-io.js';
import { addClientOptions } from './client-options.js';
import { withDocuments } from './doc-client.js';
import { branchText, frontierJson } from './doc-frontier-output.js';
import type { DocOptions } from './doc-options.js';
import { VERSION_FORM, readVersions } from './doc-version-text.js';
import { UsageError } from './usage-error.js';

/** Adds `vig doc branch NAME [--json]`. */
export function addDocBranchCommand(doc: Command, io: CliIo): void {
  const command = doc
    .command('branch')
    .description(
      "name the node's checked-out version as a branch (replacing a branch of that name), for vig doc checkout NAME later",
    )
    .argument(
      '<NAME>',
      `the branch name, such as release (not in the form ${VERSION_FORM})`,
      branchName,
    )
    .option('--json', 'print {"frontier":["AGENT:SEQ",…],"branch":NAME} as one JSON line');
  addClientOptions(command).action(async (name: string, options: DocOptions) => {
    const answer = await withDocuments(options, (documents) => documents.branch(name));
    writeAnswer(io.stdout, options, frontierJson(answer), branchText(name, answer));
  });
}

/**
 * Checks a branch name: not empty, and not one `vig doc checkout` would
 * read as versions.
 *
 * @throws {@link UsageError}
 */
function branchName(name: string): string {
  if (name.length === 0) {
    throw new UsageError('branch name is empty: expected a name such as release');
  }
  if (readVersions(name) !== undefined) {
    throw new UsageError(
      `branch name ${JSON.stringify(name)} reads as a version (${VERSION_FORM}), so vig doc checkout could not name it: expected a name such as release`,
    );
  }
  return name;
}
