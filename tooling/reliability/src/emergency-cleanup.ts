/**
 * Last-resort cleanup: what must not outlive this process (process groups it
 * started, network namespaces it made) registers a synchronous action here,
 * run when the process exits however it exits, or by the runner on SIGINT.
 * Scenarios release everything themselves in `finally`; this catches what a
 * timed-out test or a Ctrl-C leaves behind.
 */

const actions = new Map<number, () => void>();
let nextId = 0;
let installed = false;

/** Registers `action`; the function returned unregisters it (once it is done normally). */
export function onEmergencyExit(action: () => void): () => void {
  if (!installed) {
    installed = true;
    process.once('exit', runEmergencyCleanups);
  }
  const id = nextId++;
  actions.set(id, action);
  return () => {
    actions.delete(id);
  };
}

/** Runs every registered action now, newest first (processes before their namespace), each once. */
export function runEmergencyCleanups(): void {
  const pending = [...actions.entries()].reverse();
  actions.clear();
  for (const [, action] of pending) {
    try {
      action();
    } catch {
      // Best effort: the next action must run whatever this one did.
    }
  }
}
