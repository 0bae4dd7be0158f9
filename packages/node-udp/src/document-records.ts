import { isAgentId, versionKey } from '@vig/crdt-core';
import type { Operation, Version } from '@vig/crdt-core';
import { decodeOperations, decodeValue, encodeOperations, encodeValue } from '@vig/wire';
import { CorruptRecordError } from './durable-store-errors.js';
import { prefixedRecordKey, textAfterPrefix } from './lmdb-store-keys.js';

/**
 * Where a node's versioned store was checked out: a named branch, or a bare
 * version (a frontier), as `VersionedStore.checkout` takes them.
 */
export type DocumentCheckout =
  | { readonly kind: 'branch'; readonly name: string }
  | { readonly kind: 'version'; readonly frontier: readonly Version[] };

/** The first byte of a branch record's key, before the branch name in UTF-8. */
export const BRANCH_RECORD_PREFIX = 0x01;
/** The whole key of the checkout record, beside the branch records. */
export const CHECKOUT_RECORD_KEY = new Uint8Array([0x02]);

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The LMDB key of an operation's record: the agent id's UTF-8 length (one
 * byte: an id is at most 64 UTF-16 units, 192 bytes), the agent id, then the
 * seq as 8 bytes big-endian. Writing an operation twice writes one record.
 */
export function operationRecordKeyOf(version: Version): Uint8Array {
  const agent = Buffer.from(version.agent, 'utf8');
  const key = new Uint8Array(1 + agent.length + 8);
  key[0] = agent.length;
  key.set(agent, 1);
  const view = new DataView(key.buffer, 1 + agent.length, 8);
  view.setUint32(0, Math.floor(version.seq / 2 ** 32));
  view.setUint32(4, version.seq >>> 0);
  return key;
}

/**
 * The version an operation record's key names.
 *
 * @throws {@link CorruptRecordError} when the key is not one
 *   {@link operationRecordKeyOf} writes
 */
export function versionOfRecordKey(recordKey: Uint8Array): Version {
  const length = recordKey[0] ?? 0;
  if (length === 0 || recordKey.length !== 1 + length + 8) {
    throw new CorruptRecordError(undefined, 'the operation record key has the wrong length', {
      record: 'an operation record',
    });
  }
  let agent: string;
  try {
    agent = strictUtf8.decode(recordKey.subarray(1, 1 + length));
  } catch (error) {
    throw new CorruptRecordError(undefined, 'the agent id in its key is not UTF-8', {
      cause: error,
      record: 'an operation record',
    });
  }
  const view = new DataView(recordKey.buffer, recordKey.byteOffset + 1 + length, 8);
  const seq = view.getUint32(0) * 2 ** 32 + view.getUint32(4);
  if (!isAgentId(agent) || !Number.isSafeInteger(seq)) {
    throw new CorruptRecordError(undefined, 'its key names no version', {
      record: 'an operation record',
    });
  }
  return { agent, seq };
}

/** The stored value of one operation: a batch of that one operation, as `@vig/wire` encodes it. */
export function encodeOperationRecord(operation: Operation): Uint8Array {
  return encodeOperations([operation]);
}

/**
 * The operation a stored value holds, checking it is the one its key names.
 *
 * @throws {@link CorruptRecordError} when the value is not one operation, or another one
 */
export function decodeOperationRecord(version: Version, bytes: Uint8Array): Operation {
  const where = `operation ${versionKey(version)}`;
  const decoded = decodeOperations(bytes, { maxOperations: 1 });
  if (!decoded.ok) {
    const { error } = decoded;
    throw new CorruptRecordError(
      undefined,
      `the value is not an operation (${error.reason}: ${error.message})`,
      { cause: error, record: where },
    );
  }
  const [operation] = decoded.operations;
  if (operation === undefined || decoded.operations.length !== 1) {
    throw new CorruptRecordError(undefined, 'the value holds no operation', { record: where });
  }
  if (versionKey(operation.version) !== versionKey(version)) {
    throw new CorruptRecordError(
      undefined,
      `the value is operation ${versionKey(operation.version)}`,
      {
        record: where,
      },
    );
  }
  return operation;
}

/** The LMDB key of branch `name`'s record: {@link BRANCH_RECORD_PREFIX}, then the name in UTF-8. */
export function branchRecordKeyOf(name: string): Uint8Array {
  return prefixedRecordKey(BRANCH_RECORD_PREFIX, name);
}

/**
 * The branch name of a branch record's key.
 *
 * @throws {@link CorruptRecordError} when the key lacks the prefix or is not UTF-8
 */
export function branchOfRecordKey(recordKey: Uint8Array): string {
  if (recordKey[0] !== BRANCH_RECORD_PREFIX) {
    throw new CorruptRecordError(undefined, 'its key lacks the branch prefix', {
      record: 'a branch record',
    });
  }
  try {
    return textAfterPrefix(recordKey);
  } catch (error) {
    throw new CorruptRecordError(undefined, 'its name is not UTF-8', {
      cause: error,
      record: 'a branch record',
    });
  }
}

/** True for the checkout record's key. */
export function isCheckoutRecordKey(recordKey: Uint8Array): boolean {
  return recordKey.length === 1 && recordKey[0] === CHECKOUT_RECORD_KEY[0];
}

/** A frontier as stored: msgpack `[agent, seq, agent, seq, …]`. */
export function encodeFrontierRecord(frontier: readonly Version[]): Uint8Array {
  return encodeValue(frontier.flatMap(({ agent, seq }) => [agent, seq]));
}

/**
 * The frontier a branch record holds.
 *
 * @throws {@link CorruptRecordError} naming `where` when the bytes are not one
 */
export function decodeFrontierRecord(where: string, bytes: Uint8Array): Version[] {
  const decoded = decodeValue(bytes);
  if (!decoded.ok) {
    throw new CorruptRecordError(undefined, `the value is not msgpack (${decoded.error.message})`, {
      cause: decoded.error,
      record: where,
    });
  }
  return frontierOfValue(where, decoded.value);
}

/** The checkout as stored: msgpack `["branch", name]` or `["version", [agent, seq, …]]`. */
export function encodeCheckoutRecord(checkout: DocumentCheckout): Uint8Array {
  return encodeValue(
    checkout.kind === 'branch'
      ? ['branch', checkout.name]
      : ['version', checkout.frontier.flatMap(({ agent, seq }) => [agent, seq])],
  );
}

/**
 * The checkout the checkout record holds.
 *
 * @throws {@link CorruptRecordError} when the bytes are not one
 */
export function decodeCheckoutRecord(bytes: Uint8Array): DocumentCheckout {
  const where = 'the checkout';
  const decoded = decodeValue(bytes);
  if (decoded.ok && Array.isArray(decoded.value) && decoded.value.length === 2) {
    const [kind, target] = decoded.value;
    if (kind === 'branch' && typeof target === 'string') return { kind, name: target };
    if (kind === 'version') return { kind, frontier: frontierOfValue(where, target) };
  }
  throw new CorruptRecordError(
    undefined,
    'the value is not ["branch", name] or ["version", frontier]',
    { record: where },
  );
}

function frontierOfValue(where: string, value: unknown): Version[] {
  if (!Array.isArray(value) || value.length % 2 !== 0) {
    throw new CorruptRecordError(undefined, 'the value is not a flat array of agent, seq pairs', {
      record: where,
    });
  }
  const frontier: Version[] = [];
  for (let index = 0; index < value.length; index += 2) {
    const agent: unknown = value[index];
    const seq = asSeq(value[index + 1]);
    if (!isAgentId(agent) || seq === undefined) {
      throw new CorruptRecordError(undefined, `pair ${index / 2} of the frontier is no version`, {
        record: where,
      });
    }
    frontier.push({ agent, seq });
  }
  return frontier;
}

/** A seq read back: msgpack's 64-bit integers decode as bigints. */
function asSeq(value: unknown): number | undefined {
  const seq = typeof value === 'bigint' ? Number(value) : value;
  return typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 0 ? seq : undefined;
}
