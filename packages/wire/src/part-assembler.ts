import type { DocPart } from './doc-message.js';
import { docMessageId } from './split-doc-message.js';

/** Options of {@link createPartAssembler}. */
export interface PartAssemblerOptions {
  /** The largest message assembled, in bytes: a message whose parts exceed it is given up. */
  readonly maxMessageBytes: number;
  /** Messages assembled at once; past it, the one that progressed least recently is given up. */
  readonly maxMessages: number;
  /** Bytes held in all unfinished messages together; past it, as for `maxMessages`. */
  readonly maxBufferedBytes: number;
  /** Milliseconds a message may go without a new part before {@link PartAssembler.expire} gives it up. */
  readonly timeout: number;
}

/** Why the assembler gave a message up (see {@link PartOutcome}). */
export type PartDropReason = 'too-large' | 'inconsistent' | 'corrupt' | 'evicted' | 'expired';

/** What {@link PartAssembler.add} did with a part. */
export type PartOutcome =
  /** The part completed its message, whose bytes (checked against the id) these are. */
  | { readonly kind: 'complete'; readonly bytes: Uint8Array }
  /** The part was kept; the message still lacks parts. `evicted` messages were given up for room. */
  | { readonly kind: 'waiting'; readonly evicted: number }
  /** A part already held. */
  | { readonly kind: 'duplicate' }
  /** The message was given up: `reason` is `too-large`, `inconsistent` (a count that changed) or `corrupt` (bytes not matching the id). */
  | { readonly kind: 'dropped'; readonly reason: PartDropReason };

/**
 * Reassembles doc messages cut into parts ({@link splitDocMessage}), per
 * source address and message id, within fixed bounds of memory and time.
 * Pure bookkeeping: the caller passes the time. Parts of one message may
 * arrive in any order, from several sendings of the message (the id is a
 * hash of its bytes, so a message sent again is the same message): each new
 * part restarts the message's timeout.
 */
export interface PartAssembler {
  /** Takes one part from `source` at time `now`. */
  add(source: string, part: DocPart, now: number): PartOutcome;
  /** Gives up the messages that have had no new part for `timeout`; returns how many. */
  expire(now: number): number;
  /** Messages being assembled. */
  readonly pending: number;
  /** Bytes held in them. */
  readonly bufferedBytes: number;
  /** Forgets every message. */
  clear(): void;
}

/** One message being assembled. */
interface Assembly {
  readonly count: number;
  readonly parts: Map<number, Uint8Array>;
  bytes: number;
  updated: number;
}

/**
 * Creates a {@link PartAssembler}.
 *
 * @example
 * ```ts
 * const assembler = createPartAssembler({
 *   maxMessageBytes: 1 << 20, maxMessages: 64, maxBufferedBytes: 4 << 20, timeout: 10_000,
 * });
 * const outcome = assembler.add('10.0.0.7:7946', part, Date.now());
 * if (outcome.kind === 'complete') handle(decodeDocMessage(outcome.bytes));
 * ```
 */
export function createPartAssembler(options: PartAssemblerOptions): PartAssembler {
  return new Assembler(options);
}

class Assembler implements PartAssembler {
  readonly #options: PartAssemblerOptions;
  /** By `source id`, least recently progressed first. */
  readonly #assemblies = new Map<string, Assembly>();
  #bufferedBytes = 0;

  constructor(options: PartAssemblerOptions) {
    this.#options = options;
  }

  get pending(): number {
    return this.#assemblies.size;
  }

  get bufferedBytes(): number {
    return this.#bufferedBytes;
  }

  add(source: string, part: DocPart, now: number): PartOutcome {
    const name = `${source} ${part.id}`;
    let assembly = this.#assemblies.get(name);
    if (assembly !== undefined && assembly.count !== part.count) {
      this.#forget(name, assembly);
      return { kind: 'dropped', reason: 'inconsistent' };
    }
    if (assembly?.parts.has(part.index) === true) return { kind: 'duplicate' };
    if (part.index >= part.count) return { kind: 'dropped', reason: 'inconsistent' };
    if ((assembly?.bytes ?? 0) + part.bytes.length > this.#options.maxMessageBytes) {
      if (assembly !== undefined) this.#forget(name, assembly);
      return { kind: 'dropped', reason: 'too-large' };
    }
    if (assembly === undefined) {
      assembly = { count: part.count, parts: new Map(), bytes: 0, updated: now };
    } else {
      // To the back of the line: it progressed most recently.
      this.#assemblies.delete(name);
    }
    this.#assemblies.set(name, assembly);
    assembly.parts.set(part.index, part.bytes);
    assembly.bytes += part.bytes.length;
    assembly.updated = now;
    this.#bufferedBytes += part.bytes.length;
    if (assembly.parts.size === assembly.count) return this.#complete(name, assembly, part.id);
    return { kind: 'waiting', evicted: this.#makeRoom(name) };
  }

  expire(now: number): number {
    let expired = 0;
    // Least recently progressed first: the first one still fresh ends the walk.
    for (const [name, assembly] of this.#assemblies) {
      if (now - assembly.updated < this.#options.timeout) break;
      this.#forget(name, assembly);
      expired += 1;
    }
    return expired;
  }

  clear(): void {
    this.#assemblies.clear();
    this.#bufferedBytes = 0;
  }

  #complete(name: string, assembly: Assembly, id: string): PartOutcome {
    this.#forget(name, assembly);
    const bytes = new Uint8Array(assembly.bytes);
    let position = 0;
    for (let index = 0; index < assembly.count; index++) {
      const piece = assembly.parts.get(index) as Uint8Array;
      bytes.set(piece, position);
      position += piece.length;
    }
    if (docMessageId(bytes) !== id) return { kind: 'dropped', reason: 'corrupt' };
    return { kind: 'complete', bytes };
  }

  /** Gives up the least recently progressed messages (never `keep`) until within bounds. */
  #makeRoom(keep: string): number {
    let evicted = 0;
    for (const [name, assembly] of this.#assemblies) {
      const within =
        this.#assemblies.size <= this.#options.maxMessages &&
        this.#bufferedBytes <= this.#options.maxBufferedBytes;
      if (within) break;
      if (name === keep) continue;
      this.#forget(name, assembly);
      evicted += 1;
    }
    return evicted;
  }

  #forget(name: string, assembly: Assembly): void {
    this.#assemblies.delete(name);
    this.#bufferedBytes -= assembly.bytes;
  }
}
