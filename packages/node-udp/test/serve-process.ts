import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { spawnScript } from './run-until-killed.js';

const serveScript = fileURLToPath(new URL('../test-fixtures/node-serve.ts', import.meta.url));

/** A node in a process of its own (test-fixtures/node-serve.ts), started. */
export interface ServedProcess {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  /** Where it listens. */
  readonly address: string;
  /** The signal that ended it, once it has. */
  readonly exited: Promise<NodeJS.Signals | null>;
}

/** Starts a node on `directory`, bound to `bind`, in a process of its own; resolves once it listens. */
export async function serveProcess(directory: string, bind: string): Promise<ServedProcess> {
  const child = spawnScript(serveScript, [directory, bind]);
  const exited = new Promise<NodeJS.Signals | null>((resolve) => {
    child.on('close', (_code, signal) => resolve(signal));
  });
  child.stdout.setEncoding('utf8');
  const address = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      const [line] = stdout.split('\n');
      if (stdout.includes('\n') && line !== undefined) {
        resolve((JSON.parse(line) as { address: string }).address);
      }
    });
    child.on('error', reject);
    child.on('close', () => reject(new Error('the node exited before it listened')));
  });
  return { child, address, exited };
}
