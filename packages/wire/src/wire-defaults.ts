/**
 * The `ttl` a message without one is read with: the Ruby prototype's default
 * (`Message.new(key, vector, ttl = 50)`). The Clojure port sends no `ttl`.
 */
export const DEFAULT_TTL = 50;

/** The longest key, in UTF-8 bytes, that is encoded or decoded unless configured otherwise. */
export const DEFAULT_MAX_KEY_BYTES = 1024;

/**
 * The most entries a decoded message may carry unless configured otherwise
 * (sparse entries plus dense registers). A 1500-byte datagram holds at most
 * about 740 sparse entries or 1480 one-byte registers; 65536 leaves room for a
 * whole 16384-register HyperLogLog over a stream transport while bounding what
 * one message may make a node allocate.
 */
export const DEFAULT_MAX_ENTRIES = 65_536;

/**
 * How deeply containers may nest inside a field the decoder does not know
 * (the field's own value is level 1) unless configured otherwise.
 */
export const DEFAULT_MAX_DEPTH = 32;

/**
 * The largest encoded message {@link splitMessage} produces unless configured
 * otherwise: the Ruby prototype reads at most 1500 bytes per datagram, and
 * 1400 leaves room for IP and UDP headers and tunnel overhead.
 */
export const DEFAULT_DATAGRAM_BUDGET = 1400;

/**
 * The most operations a decoded batch may hold unless configured otherwise:
 * far more than one sync exchange needs, while bounding what one batch may
 * make a node allocate.
 */
export const DEFAULT_MAX_OPERATIONS = 100_000;

/**
 * The longest operation batch, in bytes, decoded unless configured otherwise
 * (16 MiB): 100 000 operations of up to about 160 bytes each.
 */
export const DEFAULT_MAX_BATCH_BYTES = 16 * 1024 * 1024;
