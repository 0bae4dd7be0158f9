import { isAgentId } from './agent-id.js';
import type { AgentId } from './agent-id.js';
import { MalformedOperationError } from './version-errors.js';

/** A version: the `seq`-th operation (from 0) written by `agent`. */
export interface Version {
  readonly agent: AgentId;
  readonly seq: number;
}

/** One key written by an operation. */
export interface KeyWrite {
  readonly key: string;
  /** Any msgpack-encodable value; treat it as immutable once written. */
  readonly value: unknown;
  /** The versions of this key the write replaces: the siblings its writer saw. */
  readonly replaces: readonly Version[];
}

/**
 * An operation as it travels between stores: its version, its direct
 * parents (not transitive; empty for a first operation), and its key writes.
 */
export interface Operation {
  readonly version: Version;
  readonly parents: readonly Version[];
  readonly writes: readonly KeyWrite[];
}

/** One concurrent value of a key, with the version that wrote it. */
export interface Sibling {
  readonly version: Version;
  readonly value: unknown;
}

/** "agent:seq", a version as a map key and in messages. */
export function versionKey(version: Version): string {
  return `${version.agent}:${version.seq}`;
}

/** Orders versions by agent id, then seq: the order siblings are listed in everywhere. */
export function compareVersionIds(left: Version, right: Version): number {
  if (left.agent !== right.agent) return left.agent < right.agent ? -1 : 1;
  return left.seq - right.seq;
}

function isSeq(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/**
 * Throws unless `value` is a well-formed version.
 *
 * @throws {@link MalformedOperationError}
 */
export function assertVersion(value: unknown, where: string): asserts value is Version {
  if (typeof value !== 'object' || value === null) {
    throw new MalformedOperationError(`${where} is not a version object`);
  }
  const { agent, seq } = value as { agent?: unknown; seq?: unknown };
  if (!isAgentId(agent)) {
    throw new MalformedOperationError(`${where}.agent is not an agent id (1..64 characters)`);
  }
  if (!isSeq(seq)) {
    throw new MalformedOperationError(`${where}.seq is not an integer in 0..2^53-1`);
  }
}

/**
 * Checks an operation's shape before anything is applied: versions, parents,
 * at least one write, string keys written once each, replaced versions.
 *
 * @throws {@link MalformedOperationError} naming the first problem
 */
export function assertOperation(value: unknown): asserts value is Operation {
  if (typeof value !== 'object' || value === null) {
    throw new MalformedOperationError('operation is not an object');
  }
  const { version, parents, writes } = value as Record<string, unknown>;
  assertVersion(version, 'version');
  const where = `operation ${versionKey(version)}`;
  if (!Array.isArray(parents))
    throw new MalformedOperationError(`${where}: parents is not an array`);
  parents.forEach((parent, position) => assertVersion(parent, `${where}: parents[${position}]`));
  if (!Array.isArray(writes) || writes.length === 0) {
    throw new MalformedOperationError(`${where}: writes is not a non-empty array`);
  }
  const keys = new Set<string>();
  writes.forEach((write: unknown, position) => {
    if (typeof write !== 'object' || write === null) {
      throw new MalformedOperationError(`${where}: writes[${position}] is not an object`);
    }
    const { key, replaces } = write as Record<string, unknown>;
    if (typeof key !== 'string') {
      throw new MalformedOperationError(`${where}: writes[${position}].key is not a string`);
    }
    if (keys.has(key)) {
      throw new MalformedOperationError(`${where}: key ${JSON.stringify(key)} is written twice`);
    }
    keys.add(key);
    if (!Array.isArray(replaces)) {
      throw new MalformedOperationError(`${where}: writes[${position}].replaces is not an array`);
    }
    replaces.forEach((replaced, index) =>
      assertVersion(replaced, `${where}: writes[${position}].replaces[${index}]`),
    );
  });
}
