/**
 * A child process in a process group of its own, its stdout read line by
 * line: what every scenario starts (`vig serve`, the probe host). Signals go
 * to the whole group, so a wrapper (`ip netns exec`) and what it runs end
 * together; every process is also registered for emergency cleanup, so none
 * outlives the run that started it.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { within } from './bounded-wait.js';
import { onEmergencyExit } from './emergency-cleanup.js';

/** How a process ended. */
export interface ProcessExit {
  /** The exit code, or null when a signal ended it. */
  readonly code: number | null;
  /** The signal that ended it, or null. */
  readonly signal: NodeJS.Signals | null;
}

/** What to start. */
export interface ProcessSpec {
  /** The executable. */
  readonly command: string;
  /** Its arguments. */
  readonly args: readonly string[];
  /** Variables added to this process's environment. */
  readonly env?: NodeJS.ProcessEnv;
  /** The working directory; default this process's. */
  readonly cwd?: string;
  /** Keep stdout lines in `lines` (default true); false for chatty processes read through `onLine`. */
  readonly keepLines?: boolean;
}

/** Lines kept per process: far more than any scenario prints, so memory stays bounded. */
const MAX_LINES = 100_000;
/** Characters of stderr kept per process. */
const MAX_STDERR = 64 * 1024;

const running = new Set<ManagedProcess>();

/** A started process; see the module comment. */
export class ManagedProcess {
  /** Complete stdout lines so far (the first {@link MAX_LINES}). */
  readonly lines: string[] = [];
  /** The start of stderr. */
  stderr = '';
  /** Settles when the process has exited and its output is read. */
  readonly exited: Promise<ProcessExit>;
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #waiters = new Set<() => void>();
  readonly #listeners = new Set<(line: string) => void>();
  readonly #keepLines: boolean;
  readonly #unregister: () => void;
  #partial = '';
  #exit: ProcessExit | undefined;

  constructor(spec: ProcessSpec) {
    this.#keepLines = spec.keepLines ?? true;
    this.#child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const pid = this.#child.pid;
    this.#unregister = onEmergencyExit(() => signalGroup(pid, 'SIGKILL'));
    running.add(this);
    this.#child.stdout.setEncoding('utf8').on('data', (chunk: string) => this.#read(chunk));
    this.#child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (this.stderr.length < MAX_STDERR) this.stderr += chunk;
    });
    this.#child.stdin.on('error', () => undefined);
    this.exited = new Promise((resolve) => {
      const finish = (exit: ProcessExit): void => {
        if (this.#exit !== undefined) return;
        this.#exit = exit;
        running.delete(this);
        this.#unregister();
        this.#wake();
        resolve(exit);
      };
      this.#child.on('close', (code, signal) => finish({ code, signal }));
      this.#child.on('error', (error) => {
        this.stderr += String(error);
        finish({ code: null, signal: null });
      });
    });
  }

  /** The process id (of the group leader), or -1 when it never started. */
  get pid(): number {
    return this.#child.pid ?? -1;
  }

  /** How it ended, or undefined while it runs. */
  get exit(): ProcessExit | undefined {
    return this.#exit;
  }

  /** Calls `listener` with each stdout line from now on; the function returned stops it. */
  onLine(listener: (line: string) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Closes its stdin. */
  endInput(): void {
    this.#child.stdin.end();
  }

  /** Writes one line to its stdin. */
  send(line: string): void {
    if (this.#exit === undefined) this.#child.stdin.write(`${line}\n`);
  }

  /**
   * Resolves with the first stdout line (already printed or to come) for
   * which `matches` holds; rejects when the process exits first or
   * `timeout` ms pass.
   */
  waitForLine(matches: (line: string) => boolean, what: string, timeout: number): Promise<string> {
    return new Promise((resolve, reject) => {
      let seen = 0;
      const timer = setTimeout(() => {
        this.#waiters.delete(look);
        reject(new Error(`no ${what} within ${timeout} ms; stderr: ${this.stderr.slice(0, 500)}`));
      }, timeout);
      const look = (): void => {
        for (; seen < this.lines.length; seen++) {
          const line = this.lines[seen] ?? '';
          if (matches(line)) {
            done();
            resolve(line);
            return;
          }
        }
        if (this.#exit !== undefined) {
          done();
          reject(
            new Error(
              `exited (${JSON.stringify(this.#exit)}) before ${what}; stderr: ${this.stderr.slice(0, 500)}; last stdout: ${this.lines.slice(-3).join(' ').slice(0, 500)}`,
            ),
          );
        }
      };
      const done = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(look);
      };
      this.#waiters.add(look);
      look();
    });
  }

  /** Sends `signal` (SIGKILL by default) to the whole process group, if it still runs. */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.#exit === undefined) signalGroup(this.#child.pid, signal);
  }

  /** SIGTERM, then SIGKILL if it has not exited within `grace` ms; resolves once it has. */
  async stop(grace = 5_000): Promise<ProcessExit> {
    this.kill('SIGTERM');
    const exit = await within(this.exited, grace);
    if (exit !== undefined) return exit;
    this.kill('SIGKILL');
    return this.exited;
  }

  /** The most resident memory it has used (Linux `VmHWM`), in bytes; undefined elsewhere or after exit. */
  peakResidentBytes(): number | undefined {
    if (this.#exit !== undefined) return undefined;
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kibibytes = /^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1];
      return kibibytes === undefined ? undefined : Number(kibibytes) * 1024;
    } catch {
      return undefined;
    }
  }

  #read(chunk: string): void {
    const parts = (this.#partial + chunk).split('\n');
    this.#partial = parts.pop() ?? '';
    for (const line of parts) for (const listener of this.#listeners) listener(line);
    const room = this.#keepLines ? MAX_LINES - this.lines.length : 0;
    if (room > 0) this.lines.push(...parts.slice(0, room));
    this.#wake();
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}

/** Starts a process (see {@link ManagedProcess}). */
export function startProcess(spec: ProcessSpec): ManagedProcess {
  return new ManagedProcess(spec);
}

/** SIGKILLs every process started here that still runs, and waits (bounded) for each to end. */
export async function killAllProcesses(grace = 5_000): Promise<void> {
  const left = [...running];
  for (const child of left) child.kill('SIGKILL');
  await within(Promise.all(left.map((child) => child.exited)), grace);
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone (ESRCH): nothing to signal.
  }
}
