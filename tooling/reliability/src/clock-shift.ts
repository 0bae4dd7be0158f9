/**
 * Processes whose clocks run an offset away from real time, through
 * libfaketime (Debian's `faketime` package) preloaded into `node`. A node
 * reads time as `performance.timeOrigin + performance.now()` (and Date.now
 * elsewhere): {@link clockShiftSupport} checks, in a real child process,
 * that both move by the offset before any scenario relies on it.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Whether clocks can be shifted here: the library, or why not. */
export type ClockShiftSupport =
  | { readonly available: true; readonly library: string }
  | { readonly available: false; readonly reason: string };

/** How far a child's two clocks were from ours, in seconds. */
export interface MeasuredShift {
  /** `Date.now()`'s offset. */
  readonly wallClock: number;
  /** `performance.timeOrigin + performance.now()`'s offset (the node's clock). */
  readonly monotonicClock: number;
}

/** The offset the support check tries, in seconds. */
const CHECK_OFFSET = 3_600;
/** How far a measured offset may be from the one asked (process start-up sits in between). */
const TOLERANCE_SECONDS = 60;

let support: Promise<ClockShiftSupport> | undefined;

/** Finds libfaketime and checks once per process that it shifts Node's clocks. */
export function clockShiftSupport(): Promise<ClockShiftSupport> {
  support ??= probeSupport();
  return support;
}

/** The environment that runs a program `offsetSeconds` off real time (positive: ahead). */
export function shiftedClockEnv(library: string, offsetSeconds: number): NodeJS.ProcessEnv {
  const preload = process.env['LD_PRELOAD'];
  return {
    LD_PRELOAD: preload === undefined || preload === '' ? library : `${library}:${preload}`,
    FAKETIME: `${offsetSeconds >= 0 ? '+' : '-'}${Math.abs(offsetSeconds)}`,
  };
}

/** Runs `node` with `env` added and measures how far its clocks are from this process's. */
export async function measureShift(env: NodeJS.ProcessEnv): Promise<MeasuredShift> {
  const script =
    'process.stdout.write(JSON.stringify([Date.now(), performance.timeOrigin + performance.now()]))';
  const before = Date.now();
  const { stdout } = await run(process.execPath, ['-e', script], {
    env: { ...process.env, ...env },
    timeout: 30_000,
  });
  const after = Date.now();
  const [wall = Number.NaN, monotonic = Number.NaN] = JSON.parse(stdout) as number[];
  const middle = (before + after) / 2;
  return { wallClock: (wall - middle) / 1000, monotonicClock: (monotonic - middle) / 1000 };
}

/** Whether `measured` is `offsetSeconds` off, on both clocks, within the tolerance. */
export function isShiftedBy(measured: MeasuredShift, offsetSeconds: number): boolean {
  return [measured.wallClock, measured.monotonicClock].every(
    (shift) => Math.abs(shift - offsetSeconds) <= TOLERANCE_SECONDS,
  );
}

async function probeSupport(): Promise<ClockShiftSupport> {
  if (process.platform !== 'linux') {
    return {
      available: false,
      reason: `libfaketime is used on Linux only (this is ${process.platform})`,
    };
  }
  const library = findLibrary();
  if (library === undefined) {
    return {
      available: false,
      reason: 'libfaketime is not installed (apt-get install faketime), or set VIG_LIBFAKETIME',
    };
  }
  try {
    const measured = await measureShift(shiftedClockEnv(library, CHECK_OFFSET));
    if (!isShiftedBy(measured, CHECK_OFFSET)) {
      return {
        available: false,
        reason: `libfaketime (${library}) did not shift Node's clocks by ${CHECK_OFFSET} s: Date.now by ${measured.wallClock.toFixed(1)} s, timeOrigin + now by ${measured.monotonicClock.toFixed(1)} s`,
      };
    }
    return { available: true, library };
  } catch (error) {
    return {
      available: false,
      reason: `node under libfaketime failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/** The thread-safe libfaketime (libfaketimeMT: Node runs threads), wherever Debian puts it. */
function findLibrary(): string | undefined {
  const chosen = process.env['VIG_LIBFAKETIME'];
  if (chosen !== undefined && chosen !== '') return existsSync(chosen) ? chosen : undefined;
  const folders = ['/usr/lib/faketime', '/usr/local/lib/faketime'];
  try {
    for (const entry of readdirSync('/usr/lib')) {
      if (entry.endsWith('-linux-gnu')) folders.unshift(join('/usr/lib', entry, 'faketime'));
    }
  } catch {
    // No /usr/lib: only the fixed folders are tried.
  }
  return folders
    .flatMap((folder) => [join(folder, 'libfaketimeMT.so.1'), join(folder, 'libfaketime.so.1')])
    .find((path) => existsSync(path));
}
