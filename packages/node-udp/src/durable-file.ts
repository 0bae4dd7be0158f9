import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Writes `text` to `path` so that a crash leaves either the old file or the
 * whole new one: written to a file aside, fsync'ed, renamed over `path`, and
 * the directory fsync'ed so the rename itself survives an OS crash.
 */
export async function writeFileDurably(path: string, text: string): Promise<void> {
  const aside = `${path}.${process.pid}.tmp`;
  const file = await open(aside, 'w');
  try {
    await file.writeFile(text);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(aside, path);
  await syncDirectory(dirname(path));
}

/** Removes `path` (if it is there) and fsyncs its directory, so the removal survives an OS crash. */
export async function removeFileDurably(path: string): Promise<void> {
  await rm(path, { force: true });
  await syncDirectory(dirname(path));
}

/**
 * Fsyncs a directory, making the creation, renaming and removal of its
 * entries durable. Platforms that cannot open a directory for that (Windows)
 * are skipped: there the file system journals such changes itself.
 */
async function syncDirectory(directory: string): Promise<void> {
  let handle;
  try {
    handle = await open(directory, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR' || code === 'EPERM' || code === 'EACCES') return;
    throw error;
  }
  try {
    await handle.sync();
  } catch (error) {
    // Some file systems refuse fsync on a directory; nothing more can be done there.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EPERM' && code !== 'EBADF') throw error;
  } finally {
    await handle.close();
  }
}
