import { OPEN_FAILURE_REASONS } from '@vig/wire';
import type { FreshnessVerdict, OpenFailureReason } from '@vig/wire';

/**
 * Why a sealed transport dropped a datagram: it did not open (`@vig/wire`'s
 * `OpenFailureReason`: `not-sealed`, `bad-version`, `truncated`,
 * `unknown-key`, `bad-tag`), or it opened but failed the freshness rule
 * (`stale`, `clock-skew`).
 */
export type SecurityDropReason = OpenFailureReason | Exclude<FreshnessVerdict, 'fresh'>;

/** Every {@link SecurityDropReason}. */
export const SECURITY_DROP_REASONS: readonly SecurityDropReason[] = Object.freeze([
  ...OPEN_FAILURE_REASONS,
  'stale',
  'clock-skew',
]);

/** What a sealed transport has done since it opened; every counter only grows. */
export interface SealedTransportStats {
  /** The cluster label. */
  readonly label: string;
  /** The ids of the keys in use (8 hex digits each), the primary key's first. */
  readonly keyIds: readonly string[];
  /** Datagrams sealed and handed to the socket. */
  readonly datagramsSealed: number;
  /** Datagrams that opened, passed the freshness rule and were handed on. */
  readonly datagramsOpened: number;
  /**
   * {@link SealedTransportStats.datagramsOpened} by the id of the key they
   * were sealed with: during a rotation, an old key whose count no longer
   * grows on any node is no longer used and may be removed.
   */
  readonly openedByKey: Readonly<Record<string, number>>;
  /** Datagrams received and dropped, answering nothing. */
  readonly dropped: number;
  /** {@link SealedTransportStats.dropped} by reason. */
  readonly droppedByReason: Readonly<Record<SecurityDropReason, number>>;
}

/** The mutable counters behind {@link SealedTransportStats}. */
export class SealedTransportCounters {
  datagramsSealed = 0;
  datagramsOpened = 0;
  dropped = 0;
  readonly #openedByKey = new Map<string, number>();
  readonly #droppedByReason = new Map<SecurityDropReason, number>(
    SECURITY_DROP_REASONS.map((reason) => [reason, 0]),
  );

  /** Counts a datagram handed on, under the id of its key. */
  opened(keyId: string): void {
    this.datagramsOpened += 1;
    this.#openedByKey.set(keyId, (this.#openedByKey.get(keyId) ?? 0) + 1);
  }

  /** Counts a datagram dropped. */
  drop(reason: SecurityDropReason): void {
    this.dropped += 1;
    this.#droppedByReason.set(reason, (this.#droppedByReason.get(reason) ?? 0) + 1);
  }

  /** A frozen copy of the counters, with the keyring's label and key ids. */
  snapshot(label: string, keyIds: readonly string[]): SealedTransportStats {
    return Object.freeze({
      label,
      keyIds,
      datagramsSealed: this.datagramsSealed,
      datagramsOpened: this.datagramsOpened,
      openedByKey: Object.freeze(Object.fromEntries(this.#openedByKey)),
      dropped: this.dropped,
      droppedByReason: Object.freeze(
        Object.fromEntries(this.#droppedByReason) as Record<SecurityDropReason, number>,
      ),
    });
  }
}
