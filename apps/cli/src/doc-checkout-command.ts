import type { Version } from '@vig/crdt-core';
import type { Command } from 'commander';
import { writeAnswer } from './answer-line.js';
import type { CliIo } from './cli-io.js';
import { addClientOptions } from './client-options.js';
import { withDocuments } from './doc-client.js';
import { checkoutText, frontierJson } from './doc-frontier-output.js';
import type { DocOptions } from './doc-options.js';
import { VERSION_FORM, readVersions } from './doc-version-text.js';
import { UsageError } from './usage-error.js';

/** Adds `vig doc checkout VERSION[,VERSION…]|BRANCH [--json]`. */
export function addDocCheckoutCommand(doc: Command, io: CliIo): void {
  const command = doc
    .command('checkout')
    .description(
      "move a node's documents to versions or a branch: reads through it show the keys as they were there; vig doc checkout main comes back",
    )
    .argument(
      '<TARGET>',
      `versions as ${VERSION_FORM}[,${VERSION_FORM}…] (as vig doc get and vig doc log print them), or else a branch name such as main`,
      checkoutTarget,
    )
    .option('--json', 'print {"frontier":["AGENT:SEQ",…],"branch":NAME or null} as one JSON line');
  addClientOptions(command).action(
    async (target: readonly Version[] | string, options: DocOptions) => {
      const answer = await withDocuments(options, (documents) => documents.checkout(target));
      writeAnswer(io.stdout, options, frontierJson(answer), checkoutText(answer));
    },
  );
}

/**
 * The target of a checkout: the versions `text` names when it reads as
 * `AGENT:SEQ[,AGENT:SEQ…]`, else `text` as a branch name.
 *
 * @throws {@link UsageError} for an empty text
 */
function checkoutTarget(text: string): readonly Version[] | string {
  if (text.length === 0) {
    throw new UsageError(
      `target is empty: expected versions as ${VERSION_FORM}[,${VERSION_FORM}…] or a branch name such as main`,
    );
  }
  return readVersions(text) ?? text;
}
