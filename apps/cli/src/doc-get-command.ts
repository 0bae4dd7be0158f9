import type { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { addClientOptions } from './client-options.js';
import { withDocuments } from './doc-client.js';
import { siblingsJson, siblingsText } from './doc-get-output.js';
import { docKey } from './doc-options.js';
import type { DocOptions } from './doc-options.js';
import { writeJsonLine } from './json-line.js';

/** Adds `vig doc get KEY [--json]`. */
export function addDocGetCommand(doc: Command, io: CliIo): void {
  const command = doc
    .command('get')
    .description(
      "read a document key at the node's checked-out version: its value and version, or every concurrent sibling (a key without a value reads as none)",
    )
    .argument('<KEY>', 'the key, such as title', docKey)
    .option(
      '--json',
      'print {"key":…,"values":[{"version":"AGENT:SEQ","value":…},…]} as one JSON line',
    );
  addClientOptions(command).action(async (key: string, options: DocOptions) => {
    const siblings = await withDocuments(options, (documents) => documents.get(key));
    if (options.json === true) writeJsonLine(io.stdout, siblingsJson(key, siblings));
    else io.stdout.write(siblingsText(key, siblings));
  });
}
