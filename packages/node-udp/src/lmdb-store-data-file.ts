import { open } from 'node:fs/promises';
import { join } from 'node:path';

/** LMDB's magic number, the first field of the meta record on the data file's first page. */
const LMDB_MAGIC = 0xbeefc0de;

/**
 * How far into the file the magic number may be: it follows the page
 * header, 16 to 24 bytes depending on the LMDB version and the platform.
 */
const MAGIC_SEARCH_BYTES = 64;

/**
 * Checks that the directory's `data.mdb`, if there is one with content,
 * starts like an LMDB data file, before lmdb-js opens it.
 *
 * lmdb-js 3.5.6 crashes the process (it frees its environment twice) when
 * LMDB refuses to open an environment, so a file that is not LMDB at all
 * must be caught here. A missing or empty `data.mdb` is fine: LMDB creates it.
 *
 * @throws an Error saying what was found, for the caller to wrap
 */
export async function assertLmdbDataFile(directory: string): Promise<void> {
  const path = join(directory, 'data.mdb');
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    const head = Buffer.alloc(MAGIC_SEARCH_BYTES);
    const { bytesRead } = await handle.read(head, 0, MAGIC_SEARCH_BYTES, 0);
    if (bytesRead === 0 || hasMagic(head, bytesRead)) return;
    throw new Error(
      `${path} is not an LMDB data file: no magic number 0x${LMDB_MAGIC.toString(16)} ` +
        `in its first ${bytesRead} bytes`,
    );
  } finally {
    await handle.close();
  }
}

function hasMagic(head: Buffer, length: number): boolean {
  for (let offset = 0; offset + 4 <= length; offset += 4) {
    // LMDB writes in the machine's byte order.
    if (head.readUInt32LE(offset) === LMDB_MAGIC || head.readUInt32BE(offset) === LMDB_MAGIC) {
      return true;
    }
  }
  return false;
}
