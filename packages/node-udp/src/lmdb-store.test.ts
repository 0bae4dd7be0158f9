import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MaxVector, VersionedStore, agentId, isVigError } from '@vig/crdt-core';
import { decodeMessage } from '@vig/wire';
import { open } from 'lmdb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DurableStore } from './durable-store.js';
import { StoreOpenError } from './durable-store-errors.js';
import type { CorruptRecordError } from './durable-store-errors.js';
import { encodeRecord } from './durable-store-record.js';
import {
  BRANCHES_DATABASE,
  OPERATIONS_DATABASE,
  VECTORS_DATABASE,
  openLmdbStore,
} from './lmdb-store.js';
import {
  CHECKOUT_RECORD_KEY,
  branchRecordKeyOf,
  encodeOperationRecord,
  operationRecordKeyOf,
} from './document-records.js';
import { recordKeyOf } from './lmdb-store-keys.js';

let root: string;
const opened: DurableStore[] = [];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'vig-lmdb-store-'));
});

afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  await rm(root, { recursive: true, force: true });
});

async function openStore(
  directory: string,
  onCorruptRecord?: (error: CorruptRecordError) => void,
): Promise<DurableStore> {
  const store = await openLmdbStore(
    onCorruptRecord === undefined ? { directory } : { directory, onCorruptRecord },
  );
  opened.push(store);
  return store;
}

/** Runs `change` on the store's raw LMDB database (the store must be closed). */
async function withRawDatabase(
  directory: string,
  change: (database: ReturnType<typeof openRaw>['database']) => void,
  name = VECTORS_DATABASE,
): Promise<void> {
  const raw = openRaw(directory, name);
  change(raw.database);
  await raw.root.close();
}

function openRaw(directory: string, name: string) {
  const rawRoot = open<Uint8Array, Uint8Array>({ path: directory, noSubdir: false });
  const database = rawRoot.openDB<Uint8Array, Uint8Array>(name, {
    encoding: 'binary',
    keyEncoding: 'binary',
  });
  return { root: rawRoot, database };
}

describe('openLmdbStore', () => {
  it('creates the directory and its parents, a dotted name included', async () => {
    const directory = join(root, 'nested', 'node-1.db');
    const store = await openStore(directory);
    await store.write('a', MaxVector.from({ 0: 1 }));
    expect((await readdir(directory)).sort()).toEqual(['data.mdb', 'lock.mdb']);
  });

  it('stores each vector as raw bytes: the vignette message of its key', async () => {
    const directory = join(root, 'store');
    const store = await openStore(directory);
    await store.write('views:home', MaxVector.from({ 0: 120 }));
    await store.close();
    await withRawDatabase(directory, (database) => {
      const value = database.get(recordKeyOf('views:home'));
      expect(value).toBeInstanceOf(Uint8Array);
      expect(decodeMessage(value as Uint8Array)).toMatchObject({
        ok: true,
        message: { key: 'views:home', ttl: 0, full: true },
      });
    });
  });

  it('skips and counts corrupt records, reporting each, and keeps the rest', async () => {
    const directory = join(root, 'store');
    const store = await openStore(directory);
    await store.write('good', MaxVector.from({ 0: 1, 2: 3 }));
    await store.write('also good', MaxVector.from({ 5: 5 }));
    await store.close();
    await withRawDatabase(directory, (database) => {
      database.putSync(recordKeyOf('garbage'), new Uint8Array([0xc1, 0x01, 0x02]));
      database.putSync(recordKeyOf('swapped'), encodeRecord('good', MaxVector.from({ 0: 9 })));
      database.putSync(new Uint8Array([0x01, 0xff, 0xfe]), encodeRecord('x', MaxVector.from({})));
      database.putSync(new Uint8Array([0x07, 0x61]), encodeRecord('a', MaxVector.from({ 0: 1 })));
    });
    const reported: CorruptRecordError[] = [];
    const reopened = await openStore(directory, (error) => reported.push(error));
    const loaded = await reopened.load();
    expect(loaded.skipped).toBe(4);
    expect([...loaded.keys()].sort()).toEqual(['also good', 'good']);
    expect(loaded.get('good')?.toRecord()).toEqual({ 0: 1, 2: 3 });
    expect(reported).toHaveLength(4);
    expect(reported.every((error) => isVigError(error, 'CorruptRecordError'))).toBe(true);
    expect(reported.map((error) => error.key).sort()).toEqual([
      'garbage',
      'swapped',
      undefined,
      undefined,
    ]);
    const reasons = reported.map((error) => error.reason).join('\n');
    expect(reasons).toContain('the value is not a vignette message (not-msgpack');
    expect(reasons).toContain('the value is the vector of "good"');
    expect(reasons).toContain('the record key is not UTF-8 text');
    expect(reasons).toContain('the record key starts with byte 7: expected 1');
    // Without a callback the count is all there is, and the open still succeeds.
    await reopened.close();
    expect((await (await openStore(directory)).load()).skipped).toBe(4);
  });

  it('skips and counts corrupt operation, branch and checkout records, keeping the rest', async () => {
    const directory = join(root, 'store');
    const history = new VersionedStore({ agent: agentId('alice') });
    history.put('title', 'Draft');
    history.put('title', 'Final');
    const [first, second] = history.operationsSince([]);
    if (first === undefined || second === undefined) throw new Error('two operations expected');
    const store = await openStore(directory);
    await store.writeOperations([first, second]);
    await store.writeBranch('main', history.heads);
    await store.close();
    await withRawDatabase(
      directory,
      (database) => {
        // A value that is not a batch, a record holding another operation, a key naming nothing.
        database.putSync(
          operationRecordKeyOf({ agent: agentId('bob'), seq: 0 }),
          new Uint8Array([0xc1]),
        );
        database.putSync(
          operationRecordKeyOf({ agent: agentId('bob'), seq: 1 }),
          encodeOperationRecord(first),
        );
        database.putSync(new Uint8Array([9, 0x61]), encodeOperationRecord(first));
      },
      OPERATIONS_DATABASE,
    );
    await withRawDatabase(
      directory,
      (database) => {
        database.putSync(branchRecordKeyOf('broken'), new Uint8Array([0x91, 0xa1, 0x61]));
        database.putSync(CHECKOUT_RECORD_KEY, new Uint8Array([0x92, 0xa1, 0x61, 0x01]));
      },
      BRANCHES_DATABASE,
    );
    const reported: CorruptRecordError[] = [];
    const reopened = await openStore(directory, (error) => reported.push(error));
    const operations = reopened.loadOperations();
    expect(operations.skipped).toBe(3);
    expect([...operations]).toEqual([first, second]);
    const branches = reopened.loadBranches();
    expect(branches.skipped).toBe(2);
    expect([...branches.keys()]).toEqual(['main']);
    expect(branches.checkout).toBeUndefined();
    const reasons = reported.map((error) => error.message).join('\n');
    expect(reasons).toContain(
      'operation bob:0 was skipped: the value is not an operation (not-msgpack',
    );
    expect(reasons).toContain('operation bob:1 was skipped: the value is operation alice:0');
    expect(reasons).toContain(
      'an operation record was skipped: the operation record key has the wrong length',
    );
    expect(reasons).toContain(
      'branch "broken" was skipped: the value is not a flat array of agent, seq pairs',
    );
    expect(reasons).toContain(
      'the checkout was skipped: the value is not ["branch", name] or ["version", frontier]',
    );
    expect(reported.map((error) => error.record)).toEqual([
      'operation bob:0',
      'operation bob:1',
      'an operation record',
      'branch "broken"',
      'the checkout',
    ]);
  });

  it('refuses a path that is a file, naming it, with the cause', async () => {
    const file = join(root, 'not-a-directory');
    await writeFile(file, 'hello');
    const failure = await openLmdbStore({ directory: file }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreOpenError);
    expect(failure).toMatchObject({ name: 'StoreOpenError', directory: file });
    expect((failure as StoreOpenError).message).toContain(JSON.stringify(file));
    expect((failure as StoreOpenError).cause).toBeInstanceOf(Error);
  });

  it('refuses a directory whose data file is not LMDB', async () => {
    const directory = join(root, 'broken');
    await mkdir(directory);
    await writeFile(join(directory, 'data.mdb'), new Uint8Array(65_536).fill(0x5a));
    const failure = await openLmdbStore({ directory }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreOpenError);
    expect((failure as StoreOpenError).directory).toBe(directory);
    expect((failure as StoreOpenError).message).toContain('is not an LMDB data file');
  });

  it('opens a directory whose data file is empty, as LMDB does', async () => {
    const directory = join(root, 'empty');
    await mkdir(directory);
    await writeFile(join(directory, 'data.mdb'), new Uint8Array(0));
    const store = await openStore(directory);
    await store.write('a', MaxVector.from({ 0: 1 }));
    expect((await store.load()).size).toBe(1);
  });
});
