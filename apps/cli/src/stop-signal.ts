/**
 * Waiting for SIGINT or SIGTERM, the two ways a foreground `vig serve` is
 * asked to stop (Ctrl-C, or a service manager).
 */

/** The signals that stop a foreground node cleanly. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** One of {@link STOP_SIGNALS}. */
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** A pending wait for a stop signal. */
export interface StopSignalWait {
  /** Settles with the first stop signal received. */
  readonly received: Promise<StopSignal>;
  /** Removes the listeners (before or after a signal came). */
  dispose(): void;
}

/**
 * Starts listening for the first SIGINT or SIGTERM. After it arrives the
 * listeners are gone, so a second Ctrl-C during a slow stop ends the process
 * the usual way.
 */
export function waitForStopSignal(): StopSignalWait {
  const listeners = new Map<StopSignal, () => void>();
  const dispose = (): void => {
    for (const [signal, listener] of listeners) process.off(signal, listener);
    listeners.clear();
  };
  const received = new Promise<StopSignal>((resolve) => {
    for (const signal of STOP_SIGNALS) {
      const listener = (): void => {
        dispose();
        resolve(signal);
      };
      listeners.set(signal, listener);
      process.on(signal, listener);
    }
  });
  return { received, dispose };
}
