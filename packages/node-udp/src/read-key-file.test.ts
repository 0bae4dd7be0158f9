import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateClusterKey } from '@vig/wire';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeEnvelopeCrypto } from './node-envelope-crypto.js';
import { MAX_KEY_FILE_BYTES, readKeyFile } from './read-key-file.js';
import { KeyFilePermissionError, KeyFileReadError } from './security-errors.js';
import { rejectionOf } from '../test/rejection-of.js';

const directories: string[] = [];

afterEach(async () => {
  await Promise.all(
    directories.splice(0).map((directory) => rm(directory, { recursive: true, force: true })),
  );
});

/** Writes `text` to a new file with `mode`, whatever the umask. */
async function keyFile(text: string, mode: number, name = 'cluster.key'): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'vig-key-'));
  directories.push(directory);
  const path = join(directory, name);
  await writeFile(path, text, { mode: 0o600 });
  await chmod(path, mode);
  return path;
}

const modeBitsApply = process.platform !== 'win32';

describe('readKeyFile', () => {
  it('reads a file only its owner may read (0600, 0400): the primary key, then the accepted', async () => {
    const [primary, old] = [
      generateClusterKey(nodeEnvelopeCrypto),
      generateClusterKey(nodeEnvelopeCrypto),
    ];
    for (const mode of [0o600, 0o400]) {
      const keys = await readKeyFile(await keyFile(`# prod\n${primary}\n${old} # old\n`, mode));
      expect(Buffer.from(keys.primary).toString('base64')).toBe(primary);
      expect(keys.accepted.map((key) => Buffer.from(key).toString('base64'))).toEqual([old]);
    }
  });

  it.runIf(modeBitsApply)(
    'refuses a file its group or others may read or write, naming the chmod to run',
    async () => {
      const key = generateClusterKey(nodeEnvelopeCrypto);
      for (const mode of [0o644, 0o640, 0o604, 0o620, 0o602, 0o660]) {
        const path = await keyFile(`${key}\n`, mode, 'my cluster.key');
        const error = await rejectionOf(() => readKeyFile(path));
        expect(error, mode.toString(8)).toBeInstanceOf(KeyFilePermissionError);
        if (!(error instanceof KeyFilePermissionError)) continue;
        expect(error.path).toBe(path);
        expect(error.mode).toBe(mode);
        expect(error.message).toContain(
          `key file ${path} is readable or writable by its group or others (mode 0${mode.toString(8)})`,
        );
        expect(error.message).toContain(`run: chmod 600 '${path}'`);
        expect(error.message).not.toContain(key.slice(0, 12));
      }
    },
  );

  it('refuses a missing file, a directory, a file too large, and a file without a key', async () => {
    const key = generateClusterKey(nodeEnvelopeCrypto);
    const missing = await rejectionOf(() => readKeyFile('/nonexistent/vig/cluster.key'));
    expect(missing).toBeInstanceOf(KeyFileReadError);
    expect(String(missing)).toMatch(
      /could not read key file \/nonexistent\/vig\/cluster.key: ENOENT/,
    );
    const file = await keyFile(`${key}\n`, 0o600);
    const directory = await rejectionOf(() => readKeyFile(join(file, '..')));
    expect(String(directory)).toMatch(/is not a regular file/);
    const large = await keyFile(`${key}\n${'#'.repeat(MAX_KEY_FILE_BYTES)}\n`, 0o600);
    expect(String(await rejectionOf(() => readKeyFile(large)))).toMatch(/larger than 65536 bytes/);
    const empty = await keyFile('# nothing yet\n', 0o600);
    const noKey = await rejectionOf(() => readKeyFile(empty));
    expect(String(noKey)).toMatch(/^InvalidKeyFileError: key file .*cluster\.key holds no key/);
  });
});
