import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));

/** What a script printed before it was killed (or finished). */
export interface KilledRun {
  /** Every complete line printed but `done`: a line cut short by the kill was never acknowledged. */
  readonly lines: string[];
  /** Whether the script printed `done` (it finished before the kill). */
  readonly finished: boolean;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/**
 * Runs `script` (a TypeScript file, on the packages' sources) with `args`,
 * and sends it SIGKILL as soon as it has printed `killAfter` lines; resolves
 * when it is gone.
 */
export function runUntilKilled(
  script: string,
  args: readonly string[],
  killAfter: number,
): Promise<KilledRun> {
  return new Promise((resolve, reject) => {
    const child = spawnScript(script, args);
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      if (!killed && stdout.split('\n').length - 1 >= killAfter) {
        killed = child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      const printed = stdout.split('\n').slice(0, -1);
      resolve({
        lines: printed.filter((line) => line !== 'done'),
        finished: printed.includes('done'),
        signal,
        stderr,
      });
    });
  });
}

/** Starts `script` (a TypeScript file, on the packages' sources) with `args`, its output piped. */
export function spawnScript(
  script: string,
  args: readonly string[],
): ChildProcessByStdio<null, Readable, Readable> {
  return spawn(process.execPath, ['--conditions=@vig/source', '--import', 'tsx', script, ...args], {
    cwd: packageRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
