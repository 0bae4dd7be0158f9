import type { Version } from '@vig/crdt-core';
import type { Command } from 'commander';
import { writeAnswer } from './answer-line.js';
import type { CliIo } from './cli-io.js';
import { addClientOptions } from './client-options.js';
import { withDocuments } from './doc-client.js';
import { parseJsonArgument } from './doc-json-argument.js';
import { docKey } from './doc-options.js';
import type { DocOptions } from './doc-options.js';
import { VERSION_FORM, versionText, versionsArgument } from './doc-version-text.js';

/** The options of `vig doc put`. */
interface DocPutOptions extends DocOptions {
  /** The versions `--parents` names; undefined: the write replaces every sibling. */
  readonly parents?: Version[];
}

/** Adds `vig doc put KEY JSON [--parents AGENT:SEQ,…] [--json]`. */
export function addDocPutCommand(doc: Command, io: CliIo): void {
  const command = doc
    .command('put')
    .description(
      'write a JSON value to a document key and print the new version; it replaces every sibling the node holds, or with --parents only the versions named',
    )
    .argument('<KEY>', 'the key, such as title', docKey)
    .argument('<JSON>', `the value as JSON, quoted for the shell, such as '{"text":"Draft"}'`)
    .option(
      '--parents <VERSIONS>',
      `the versions the write follows, ${VERSION_FORM}[,${VERSION_FORM}…] as vig doc get prints them: it replaces what the key held at them, and writes it did not see stay beside it as siblings`,
      versionsArgument('--parents'),
    )
    .option('--json', 'print {"key":…,"version":"AGENT:SEQ"} as one JSON line');
  addClientOptions(command).action(async (key: string, json: string, options: DocPutOptions) => {
    const value = parseJsonArgument(json);
    const { parents } = options;
    const version = await withDocuments(options, (documents) =>
      documents.put(key, value, parents === undefined ? {} : { parents }),
    );
    const text = versionText(version);
    writeAnswer(io.stdout, options, { key, version: text }, text);
  });
}
