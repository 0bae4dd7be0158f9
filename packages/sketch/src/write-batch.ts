/**
 * Batches a handle's writes: the first change in a turn schedules one write,
 * after the code that made it has run, so a loop of adds becomes one put.
 * Writes never overlap (each reads the key, then puts what grew); a write
 * that fails rejects its callers and the next one goes on.
 */
export class WriteBatch {
  readonly #write: () => Promise<void>;
  #scheduled: Promise<void> | undefined;
  #previous: Promise<void> = Promise.resolve();

  /** @param write - puts what is pending; it takes the pending state synchronously, before its first await */
  constructor(write: () => Promise<void>) {
    this.#write = write;
  }

  /**
   * The write that will carry the changes made so far, scheduling it if
   * none is. Its rejection is handled here too, so a caller that does not
   * await it cannot crash the process; await it to learn of a failure.
   */
  schedule(): Promise<void> {
    if (this.#scheduled === undefined) {
      const write = this.#previous.then(() => {
        this.#scheduled = undefined;
        return this.#write();
      });
      write.catch(() => {});
      this.#scheduled = write;
      this.#previous = write.catch(() => {});
    }
    return this.#scheduled;
  }

  /** Resolves once every change made so far is written (at once when none is pending). */
  settled(): Promise<void> {
    return this.#scheduled ?? this.#previous;
  }
}
