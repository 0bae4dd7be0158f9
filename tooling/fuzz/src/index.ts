/**
 * Internal: a seeded datagram fuzzer run against a live Vig node in a
 * process of its own (see the README).
 */
export { fuzzLiveNode } from './fuzz-live-node.js';
export type { FuzzRunOptions, FuzzRunReport } from './fuzz-live-node.js';
export { datagramCorpus } from './datagram-corpus.js';
export { MAX_FUZZ_DATAGRAM_BYTES, nextFuzzDatagram } from './datagram-mutator.js';
export type { FuzzDatagram, FuzzKind } from './datagram-mutator.js';
export { formatFuzzRuns, formatRejects } from './fuzz-report.js';
