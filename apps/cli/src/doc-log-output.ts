/**
 * What `vig doc log` prints for each operation of a node's history: its
 * version, its parents (the versions it was written on top of) and the keys
 * it wrote with their values.
 */
import type { Operation } from '@vig/crdt-core';
import type { JsonValue } from './doc-value-json.js';
import { jsonOfDocValue } from './doc-value-json.js';
import { versionText, versionsText } from './doc-version-text.js';

/** The longest value `vig doc log` prints without `--json`; longer ones are cut, ending in `…`. */
export const MAX_LOGGED_VALUE = 80;

/** One operation as a line of `vig doc log --json`. */
export interface OperationJson {
  /** `AGENT:SEQ`. */
  readonly version: string;
  /** The versions it follows, as `AGENT:SEQ`; empty for the first operation. */
  readonly parents: readonly string[];
  /** Each key written, with its value and the versions of it that the write replaced. */
  readonly writes: readonly {
    readonly key: string;
    readonly value: JsonValue;
    readonly replaces: readonly string[];
  }[];
}

/** `operation` as `vig doc log --json` prints it. */
export function operationJson(operation: Operation): OperationJson {
  return {
    version: versionText(operation.version),
    parents: operation.parents.map(versionText),
    writes: operation.writes.map(({ key, value, replaces }) => ({
      key,
      value: jsonOfDocValue(value),
      replaces: replaces.map(versionText),
    })),
  };
}

/**
 * `operation` as one line of text: `AGENT:SEQ  parents A:1,B:0  KEY=VALUE…`,
 * with `parents (none)` for a first operation and each value as JSON, cut
 * after {@link MAX_LOGGED_VALUE} characters.
 */
export function operationText(operation: Operation): string {
  const parents = operation.parents.length === 0 ? '(none)' : versionsText(operation.parents);
  const writes = operation.writes.map(({ key, value }) => `${key}=${loggedValue(value)}`);
  return [versionText(operation.version), `parents ${parents}`, ...writes].join('  ');
}

/** A value as JSON, cut to {@link MAX_LOGGED_VALUE} characters. */
function loggedValue(value: unknown): string {
  const text = JSON.stringify(jsonOfDocValue(value));
  return text.length > MAX_LOGGED_VALUE ? `${text.slice(0, MAX_LOGGED_VALUE - 1)}…` : text;
}
