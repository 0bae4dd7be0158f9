/**
 * A binary max-heap of numbers: the graph walks always continue from the
 * highest local order left, so every parent is reached after its children.
 */
export class MaxHeap {
  readonly #items: number[] = [];

  get size(): number {
    return this.#items.length;
  }

  /** The largest number, or undefined when empty. */
  peek(): number | undefined {
    return this.#items[0];
  }

  push(item: number): void {
    const items = this.#items;
    let position = items.length;
    items.push(item);
    while (position > 0) {
      const parent = (position - 1) >> 1;
      const above = items[parent];
      if (above >= item) break;
      items[position] = above;
      position = parent;
    }
    items[position] = item;
  }

  /** Removes and returns the largest number; undefined when empty. */
  pop(): number | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    const length = items.length;
    let position = 0;
    for (;;) {
      const left = position * 2 + 1;
      if (left >= length) break;
      const right = left + 1;
      const larger = right < length && items[right] > items[left] ? right : left;
      if (items[larger] <= last) break;
      items[position] = items[larger];
      position = larger;
    }
    items[position] = last;
    return top;
  }
}
