/**
 * What `vig doc get` prints: a key's siblings, the concurrent values it
 * holds at the node's checked-out version, each with the version that wrote
 * it.
 */
import type { Sibling } from '@vig/crdt-core';
import type { JsonValue } from './doc-value-json.js';
import { jsonOfDocValue } from './doc-value-json.js';
import { versionText, versionsText } from './doc-version-text.js';
import { shellWord } from './shell-word.js';

/** `vig doc get --json`: `{"key":…,"values":[{"version":"AGENT:SEQ","value":…},…]}`. */
export interface SiblingsJson {
  readonly key: string;
  /** Every sibling, sorted by version (agent, then seq); empty when the key has no value. */
  readonly values: readonly { readonly version: string; readonly value: JsonValue }[];
}

/** The siblings of `key` as `vig doc get --json` prints them. */
export function siblingsJson(key: string, siblings: readonly Sibling[]): SiblingsJson {
  return {
    key,
    values: siblings.map(({ version, value }) => ({
      version: versionText(version),
      value: jsonOfDocValue(value),
    })),
  };
}

/**
 * The siblings of `key` as lines of text. No value: `KEY has no value`. One:
 * `VALUE  (version AGENT:SEQ)`. Several: `KEY has N concurrent siblings:`,
 * one `  AGENT:SEQ  VALUE` line each, and how to resolve them.
 */
export function siblingsText(key: string, siblings: readonly Sibling[]): string {
  const [only] = siblings;
  if (only === undefined) return `${key} has no value\n`;
  if (siblings.length === 1) return `${valueText(only)}  (version ${versionText(only.version)})\n`;
  const word = shellWord(key);
  return [
    `${key} has ${siblings.length} concurrent siblings:`,
    ...siblings.map((sibling) => `  ${versionText(sibling.version)}  ${valueText(sibling)}`),
    `resolve them with: vig doc put ${word} JSON (it replaces them all; --parents ${versionsText(siblings.map((sibling) => sibling.version))} replaces just these)`,
    '',
  ].join('\n');
}

/** A sibling's value as one line of JSON. */
function valueText(sibling: Sibling): string {
  return JSON.stringify(jsonOfDocValue(sibling.value));
}
