import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const examplesFolder = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('the quick-start demo (a real process)', () => {
  it('converges three replicas over real msgpack bytes and exits 0', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', '--conditions=@vig/source', 'quick-start.ts'],
      { cwd: examplesFolder, timeout: 20_000 },
    );
    expect(stdout).toContain('All replicas converged.');
    expect(stdout).toMatch(/berlin +views:home=226 views:pricing=21 seen:alice=29340017/);
    expect(stdout).toContain('views:pricing → ');
    expect(stdout).toMatch(/The message a Ruby vignette peer reads for views:home \(\d+ bytes\)/);
  });
});
