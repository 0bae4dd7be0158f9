import type { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { addDocBranchCommand } from './doc-branch-command.js';
import { addDocCheckoutCommand } from './doc-checkout-command.js';
import { addDocGetCommand } from './doc-get-command.js';
import { addDocLogCommand } from './doc-log-command.js';
import { addDocPutCommand } from './doc-put-command.js';
import { addSketchGroup } from './sketch-group.js';

/**
 * Adds `vig doc put|get|log|checkout|branch`: the versioned documents of the
 * nodes (`client.docs` of `@vig/node-udp`), JSON values with full history,
 * concurrent siblings and branches.
 */
export function addDocCommand(program: Command, io: CliIo): void {
  const doc = addSketchGroup(
    program,
    'doc',
    'versioned JSON documents: full history, concurrent siblings, checkout and branches',
  );
  addDocPutCommand(doc, io);
  addDocGetCommand(doc, io);
  addDocLogCommand(doc, io);
  addDocCheckoutCommand(doc, io);
  addDocBranchCommand(doc, io);
}
