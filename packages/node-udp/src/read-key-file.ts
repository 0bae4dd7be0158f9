import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { parseKeyFile } from '@vig/wire';
import type { KeyFileKeys } from '@vig/wire';
import { KeyFilePermissionError, KeyFileReadError } from './security-errors.js';

/** The largest key file read: 64 KiB, some 1400 keys. */
export const MAX_KEY_FILE_BYTES = 64 * 1024;

/**
 * Reads a key file (one base64 cluster key per line, the first the primary;
 * `@vig/wire`'s `parseKeyFile`), refusing one that its group or others may
 * read or write: the mode is checked on the opened file, so it is the file
 * read. (Windows has no such mode bits: there the check is skipped.)
 *
 * @throws {@link KeyFilePermissionError} when `mode & 0o077` is not 0, naming the chmod to run
 * @throws {@link KeyFileReadError} when the file is missing, not a regular file, unreadable or too large
 * @throws `@vig/wire`'s `InvalidKeyFileError` when it holds no key or a line that is not one
 */
export async function readKeyFile(path: string): Promise<KeyFileKeys> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new KeyFileReadError(path, describe(error), { cause: error });
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new KeyFileReadError(path, 'it is not a regular file');
    if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
      throw new KeyFilePermissionError(path, info.mode & 0o777);
    }
    return parseKeyFile(await readBounded(handle, path), path);
  } finally {
    await handle.close();
  }
}

/** The file's text, at most {@link MAX_KEY_FILE_BYTES} bytes of it. */
async function readBounded(handle: FileHandle, path: string): Promise<string> {
  const buffer = Buffer.alloc(MAX_KEY_FILE_BYTES + 1);
  let length = 0;
  // Each read returns at least one byte until the end: bounded by the buffer.
  for (let reads = 0; reads <= buffer.length && length < buffer.length; reads++) {
    const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
    if (bytesRead === 0) break;
    length += bytesRead;
  }
  if (length > MAX_KEY_FILE_BYTES) {
    throw new KeyFileReadError(path, `it is larger than ${MAX_KEY_FILE_BYTES} bytes`);
  }
  return buffer.toString('utf8', 0, length);
}

/** A short description of a thrown value. */
function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
