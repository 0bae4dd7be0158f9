/**
 * Test helpers that run `vig` as real processes: `node --import tsx
 * --conditions=@vig/source src/main.ts …` in apps/cli, so every @vig package
 * runs from source, as the `vig` script does. Every process started here is
 * tracked, and {@link killAll} (called in `afterEach`) ends those still running.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

/** The apps/cli folder. */
export const cliFolder = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The arguments that run src/main.ts from source. */
const sourceArguments = ['--import', 'tsx', '--conditions=@vig/source', 'src/main.ts'];

/** How a process ended. */
export interface ProcessExit {
  /** The exit code, or null when a signal ended it. */
  readonly code: number | null;
  /** The signal that ended it, or null. */
  readonly signal: NodeJS.Signals | null;
}

/** One JSON log line of `vig serve`, as far as the tests read it. */
export interface LogLine {
  readonly msg: string;
  readonly level: number;
  readonly [field: string]: unknown;
}

const running = new Set<VigProcess>();

/** A running `vig` process whose output is collected line by line. */
export class VigProcess {
  /** Every complete stdout line so far. */
  readonly lines: string[] = [];
  /** All of stderr so far. */
  stderr = '';
  /** Settles when the process has exited and its output is read. */
  readonly exited: Promise<ProcessExit>;
  readonly #child: ChildProcessByStdio<null, Readable, Readable>;
  readonly #lineWaiters = new Set<() => void>();
  #partial = '';
  #exit: ProcessExit | undefined;

  /** Starts `node NODE-ARGUMENTS…` in apps/cli, with `env` added to this process's environment. */
  constructor(nodeArguments: readonly string[], env: NodeJS.ProcessEnv = {}) {
    this.#child = spawn(process.execPath, nodeArguments, {
      cwd: cliFolder,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(this);
    this.#child.stdout.setEncoding('utf8').on('data', (chunk: string) => this.#read(chunk));
    this.#child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.exited = new Promise((resolve) => {
      this.#child.on('close', (code, signal) => {
        this.#exit = { code, signal };
        running.delete(this);
        this.#wakeWaiters();
        resolve(this.#exit);
      });
    });
  }

  /** The process id. */
  get pid(): number {
    return this.#child.pid ?? -1;
  }

  /** All stdout so far. */
  get stdout(): string {
    return this.lines.map((line) => `${line}\n`).join('') + this.#partial;
  }

  /** The stdout lines that are JSON objects (serve's log lines). */
  logs(): LogLine[] {
    return this.lines.flatMap((line) => {
      if (!line.startsWith('{')) return [];
      return [JSON.parse(line) as LogLine];
    });
  }

  /**
   * Resolves with the first log line for which `matches` holds, looking at
   * lines already printed and then at each new one; rejects if the process
   * exits first.
   */
  waitForLog(matches: (line: LogLine) => boolean, what: string): Promise<LogLine> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = this.logs().find(matches);
        if (found !== undefined) {
          this.#lineWaiters.delete(check);
          resolve(found);
        } else if (this.#exit !== undefined) {
          this.#lineWaiters.delete(check);
          reject(
            new Error(
              `vig exited (${JSON.stringify(this.#exit)}) before logging ${what}; stderr: ${this.stderr}`,
            ),
          );
        }
      };
      this.#lineWaiters.add(check);
      check();
    });
  }

  /** Sends `signal` (SIGKILL by default) if the process still runs. */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.#exit === undefined) this.#child.kill(signal);
  }

  #read(chunk: string): void {
    const parts = (this.#partial + chunk).split('\n');
    this.#partial = parts.pop() ?? '';
    this.lines.push(...parts);
    this.#wakeWaiters();
  }

  #wakeWaiters(): void {
    for (const waiter of [...this.#lineWaiters]) waiter();
  }
}

/** Starts `vig ARGS…` (with `env` added to the environment) and returns at once. */
export function startVig(args: readonly string[], env?: NodeJS.ProcessEnv): VigProcess {
  return new VigProcess([...sourceArguments, ...args], env);
}

/** What a finished `vig` run printed. */
export interface VigRun extends ProcessExit {
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `vig ARGS…` (with `env` added to the environment) to its end. */
export async function runVig(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<VigRun> {
  return finished(startVig(args, env));
}

/** Runs `bin/vig.js ARGS…`, the package's own launcher, to its end. */
export async function runLauncher(args: readonly string[]): Promise<VigRun> {
  return finished(new VigProcess(['bin/vig.js', ...args]));
}

async function finished(vig: VigProcess): Promise<VigRun> {
  const exit = await vig.exited;
  return { ...exit, stdout: vig.stdout, stderr: vig.stderr };
}

/** Kills (SIGKILL) every `vig` process still running and waits for each to end. */
export async function killAll(): Promise<void> {
  const left = [...running];
  for (const vig of left) vig.kill('SIGKILL');
  await Promise.all(left.map((vig) => vig.exited));
}

/** A UDP port free on `host` right now (the system's choice of an ephemeral port). */
export async function freePort(host: string): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, host, () => resolve());
  });
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}
