import { open, rename } from 'node:fs/promises';

/**
 * Writes `text` to a temporary file beside `path`, flushes it to disk, then
 * renames it over `path`: a crash leaves the old file or the whole new one.
 * With `mode`, the new file has exactly those permission bits (umask aside),
 * set before any text is written.
 */
export async function writeAtomically(path: string, text: string, mode?: number): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  const handle = await open(temporary, 'w', mode);
  try {
    if (mode !== undefined) await handle.chmod(mode);
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
}
