import { open, rm } from 'node:fs/promises';
import { KeyFileExistsError } from './key-file-exists-error.js';
import { KeyFileWriteError } from './key-file-write-error.js';
import { writeAtomically } from './write-atomically.js';

/** A key file's permission bits: read and write for its owner only, as nodes and clients require. */
export const KEY_FILE_MODE = 0o600;

/**
 * Writes the key file `path` holding `text`, with mode 0600 from its first
 * byte. A file already at `path` is refused, unless `replace`: then the new
 * file is written beside it and renamed over it, so a node reading `path`
 * (on SIGHUP) sees the old file or the whole new one.
 *
 * @throws {@link KeyFileExistsError} when `path` exists and not `replace`
 * @throws {@link KeyFileWriteError} when the file cannot be written
 */
export async function writeKeyFile(path: string, text: string, replace: boolean): Promise<void> {
  try {
    if (replace) await writeAtomically(path, text, KEY_FILE_MODE);
    else await writeNewFile(path, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!replace && code === 'EEXIST') throw new KeyFileExistsError(path, { cause: error });
    const problem = error instanceof Error ? error.message : String(error);
    throw new KeyFileWriteError(path, problem, { cause: error });
  }
}

/** Creates `path` (failing with EEXIST if it exists) with mode 0600 and writes `text`; removes it if the write fails. */
async function writeNewFile(path: string, text: string): Promise<void> {
  const handle = await open(path, 'wx', KEY_FILE_MODE);
  try {
    await handle.chmod(KEY_FILE_MODE);
    await handle.writeFile(text);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(path, { force: true });
    throw error;
  }
  await handle.close();
}
