/**
 * What the engine allows each source address, kept in one bounded table:
 *
 * - a **token bucket** of datagrams (`sourceRate` per second, up to
 *   `sourceBurst`): a datagram that finds the bucket empty is dropped before
 *   it is decoded;
 * - an **anti-amplification budget**, as QUIC has for addresses it has not
 *   validated: every byte received credits {@link AMPLIFICATION_FACTOR}
 *   bytes, every byte sent to the address spends one, and an answer the
 *   credit does not cover is refused whole. A refusal leaves the address
 *   owing that answer's size, so nothing more goes to it until what it sends
 *   pays for it: an asker never receives an answer's successors without the
 *   answer itself. (The engine asks this budget only about addresses it has
 *   not validated; see `source-validation.ts`.)
 *
 * The table holds at most `maxSources` addresses, forgetting the least
 * recently seen first, and an address not seen for `sourceIdleTimeout` starts
 * afresh. Forgetting an address only ever gives it a full bucket and no
 * credit, so spoofing many addresses cannot exhaust memory, nor earn any
 * address more than three times what was received from it.
 */
import { RecencyMap } from './recency-map.js';
import type { PeerAddress } from './transport.js';

/**
 * Bytes a node may send to an address it has not validated per byte
 * received from it: 3, as QUIC (RFC 9000 §8.1).
 */
export const AMPLIFICATION_FACTOR = 3;

/**
 * Milliseconds between moves of an address to the recent end of the table:
 * 1000. Moving it on every datagram would cost two map operations each; the
 * table's order is then recency to within a second, which eviction and
 * expiry tolerate.
 */
const REFRESH_GRANULARITY = 1_000;

/** Most expired addresses dropped per new address, so a lookup's work stays bounded. */
const EXPIRED_PER_INSERT = 2;

/** Options of {@link SourceLimits} (the engine passes its config's fields). */
export interface SourceLimitsOptions {
  /** Datagrams per second per address; 0 for no rate limit. */
  readonly sourceRate: number;
  /** Datagrams an address may send at once after being idle. */
  readonly sourceBurst: number;
  /** Addresses kept. */
  readonly maxSources: number;
  /** Milliseconds after which an address not seen starts afresh. */
  readonly sourceIdleTimeout: number;
  /** False when no address needs a budget (every datagram is authenticated). */
  readonly budgets: boolean;
}

/** What the table keeps per address. */
interface SourceRecord {
  /** Datagrams the bucket holds (fractional between refills). */
  tokens: number;
  refilledAt: number;
  /** Bytes that may still be sent; negative while a refused answer is owed. */
  credit: number;
  /** When the address last moved to the recent end of the table. */
  refreshedAt: number;
}

/** Per-source rate limits and amplification budgets, in bounded memory. */
export class SourceLimits {
  readonly #options: SourceLimitsOptions;
  readonly #records: RecencyMap<PeerAddress, SourceRecord>;

  constructor(options: SourceLimitsOptions) {
    this.#options = options;
    this.#records = new RecencyMap(options.maxSources);
  }

  /** Whether the table is used at all (a rate limit or budgets apply). */
  get active(): boolean {
    return this.#options.sourceRate > 0 || this.#options.budgets;
  }

  /** Addresses in the table. */
  get size(): number {
    return this.#records.size;
  }

  /**
   * Accounts one datagram of `byteLength` bytes from `source` at `now`:
   * false when its bucket is empty (drop it undecoded); otherwise takes a
   * token and credits the address's budget.
   */
  admit(source: PeerAddress, byteLength: number, now: number): boolean {
    if (!this.active) return true;
    const record = this.#recordOf(source, now);
    const { sourceRate, sourceBurst, budgets } = this.#options;
    if (sourceRate > 0) {
      const refill = ((now - record.refilledAt) * sourceRate) / 1000;
      record.tokens = Math.min(sourceBurst, record.tokens + Math.max(0, refill));
      record.refilledAt = now;
      if (record.tokens < 1) return false;
      record.tokens -= 1;
    }
    if (budgets) record.credit += AMPLIFICATION_FACTOR * byteLength;
    return true;
  }

  /**
   * Spends `byteLength` bytes of the budget of `destination`, an address not
   * validated: true when the credit covers them (send), false when it does
   * not (refuse the answer; the address then owes it). An address never
   * heard from has no credit.
   */
  spend(destination: PeerAddress, byteLength: number): boolean {
    const record = this.#records.get(destination);
    if (record === undefined) return false;
    if (record.credit >= byteLength) {
      record.credit -= byteLength;
      return true;
    }
    record.credit = -byteLength;
    return false;
  }

  /**
   * Whether the budget of `destination` covers at least `byteLength` bytes,
   * spending nothing: checked before an answer is encoded, with a lower bound
   * of its size, so that refusing a large answer costs no encoding. When it
   * does not, the answer is refused and owed as by {@link SourceLimits.spend}.
   */
  covers(destination: PeerAddress, byteLength: number): boolean {
    const record = this.#records.get(destination);
    if (record === undefined) return false;
    if (record.credit >= byteLength) return true;
    record.credit = -byteLength;
    return false;
  }

  /** The budget left for `destination` (0 when unknown), for tests and diagnostics. */
  credit(destination: PeerAddress): number {
    return this.#records.get(destination)?.credit ?? 0;
  }

  /** Drops addresses idle past `sourceIdleTimeout`, oldest first, at most `limit` of them. */
  expire(now: number, limit: number): void {
    for (let dropped = 0; dropped < limit; dropped++) {
      const oldest = this.#records.oldest();
      if (oldest === undefined || !this.#expired(oldest[1], now)) return;
      this.#records.delete(oldest[0]);
    }
  }

  /** Forgets every address. */
  clear(): void {
    this.#records.clear();
  }

  /** The record of `source`, created (or started afresh, when expired) as needed. */
  #recordOf(source: PeerAddress, now: number): SourceRecord {
    const record = this.#records.get(source);
    if (record === undefined) {
      this.expire(now, EXPIRED_PER_INSERT);
      const created = this.#freshRecord(now);
      this.#records.set(source, created);
      return created;
    }
    if (this.#expired(record, now)) {
      Object.assign(record, this.#freshRecord(now));
      this.#records.refresh(source);
    } else if (now - record.refreshedAt >= REFRESH_GRANULARITY) {
      record.refreshedAt = now;
      this.#records.refresh(source);
    }
    return record;
  }

  #freshRecord(now: number): SourceRecord {
    return { tokens: this.#options.sourceBurst, refilledAt: now, credit: 0, refreshedAt: now };
  }

  #expired(record: SourceRecord, now: number): boolean {
    return now - record.refreshedAt > this.#options.sourceIdleTimeout;
  }
}
