/** One callback waiting in a {@link TimerQueue}. */
export interface QueuedTimer {
  /** When it is due, in virtual milliseconds. */
  readonly due: number;
  /** Insertion order: among timers due at the same time, the earlier one runs first. */
  readonly sequence: number;
  /** What to run; `undefined` once the timer has run or been cancelled. */
  callback: (() => void) | undefined;
}

/** Below this many cancelled timers, the heap is never compacted. */
const compactionThreshold = 1024;

/**
 * A binary min-heap of timers ordered by due time, then insertion order, so the
 * order in which timers run is fully deterministic. Cancelling marks a timer
 * (O(1)); marked timers are discarded when they reach the top, and the heap is
 * rebuilt without them once they are more than half of it, so a stream of
 * cancelled far-future timers cannot grow it without bound.
 */
export class TimerQueue {
  readonly #heap: QueuedTimer[] = [];
  #nextSequence = 0;
  #cancelledInHeap = 0;

  /** Timers waiting to run (cancelled ones excluded). */
  get size(): number {
    return this.#heap.length - this.#cancelledInHeap;
  }

  /** Queues `callback` to run at `due`; keep the result to cancel it. */
  push(due: number, callback: () => void): QueuedTimer {
    const timer: QueuedTimer = { due, sequence: this.#nextSequence++, callback };
    const heap = this.#heap;
    heap.push(timer);
    this.#siftUp(heap.length - 1);
    return timer;
  }

  /** Cancels a waiting timer; `false` when it had already run or been cancelled. */
  cancel(timer: QueuedTimer): boolean {
    if (timer.callback === undefined) return false;
    timer.callback = undefined;
    this.#cancelledInHeap += 1;
    if (
      this.#cancelledInHeap > compactionThreshold &&
      this.#cancelledInHeap * 2 > this.#heap.length
    ) {
      this.#compact();
    }
    return true;
  }

  /** The earliest waiting timer, left in the queue, or undefined when none waits. */
  peek(): QueuedTimer | undefined {
    this.#discardCancelledTop();
    return this.#heap[0];
  }

  /** Removes and returns the earliest waiting timer, or undefined when none waits. */
  pop(): QueuedTimer | undefined {
    this.#discardCancelledTop();
    return this.#removeTop();
  }

  #discardCancelledTop(): void {
    while (this.#heap.length > 0 && this.#heap[0]?.callback === undefined) {
      this.#removeTop();
      this.#cancelledInHeap -= 1;
    }
  }

  #removeTop(): QueuedTimer | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (top !== undefined && last !== undefined && heap.length > 0) {
      heap[0] = last;
      this.#siftDown(0);
    }
    return top;
  }

  #compact(): void {
    const heap = this.#heap;
    let kept = 0;
    for (const timer of heap) if (timer.callback !== undefined) heap[kept++] = timer;
    heap.length = kept;
    this.#cancelledInHeap = 0;
    for (let position = (kept >> 1) - 1; position >= 0; position--) this.#siftDown(position);
  }

  #siftUp(start: number): void {
    const heap = this.#heap;
    const timer = heap[start];
    let position = start;
    while (position > 0) {
      const parentPosition = (position - 1) >> 1;
      const parent = heap[parentPosition];
      if (!runsBefore(timer, parent)) break;
      heap[position] = parent;
      position = parentPosition;
    }
    heap[position] = timer;
  }

  #siftDown(start: number): void {
    const heap = this.#heap;
    const length = heap.length;
    const timer = heap[start];
    let position = start;
    for (;;) {
      const left = 2 * position + 1;
      if (left >= length) break;
      const right = left + 1;
      let child = left;
      if (right < length && runsBefore(heap[right], heap[left])) {
        child = right;
      }
      const earliest = heap[child];
      if (!runsBefore(earliest, timer)) break;
      heap[position] = earliest;
      position = child;
    }
    heap[position] = timer;
  }
}

function runsBefore(first: QueuedTimer, second: QueuedTimer): boolean {
  return first.due < second.due || (first.due === second.due && first.sequence < second.sequence);
}
