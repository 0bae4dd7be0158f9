/**
 * The slot for datagram fuzzing: random and mutated datagrams sent to a live
 * node, counting rejects by reason and the node's peak memory. The fuzzer
 * itself is being written elsewhere (tooling/fuzz); until it is wired in,
 * this scenario keeps its rows in the report, saying so. To fill it, replace
 * `run` with one that calls the fuzzer and returns `checkedResult(checks,
 * figures)` with the three figures named here.
 */
import { figure } from '../scenario.js';
import type { Scenario, ScenarioResult } from '../scenario.js';

/** The figures the fuzzing rows show, in order. */
export const FUZZ_FIGURES = ['datagrams fuzzed', 'rejects by reason', 'peak memory'] as const;

/** See the module comment. */
export const datagramFuzzing: Scenario = {
  id: 'datagram-fuzzing',
  title: 'datagram fuzzing',
  summary:
    'Random and mutated datagrams against a live node: it keeps running, rejects each bad datagram under a named reason, and its memory stays bounded.',
  run: (): Promise<ScenarioResult> =>
    Promise.resolve({
      status: 'not-measured',
      checks: [],
      figures: FUZZ_FIGURES.map((name) => figure(name, 'not yet measured')),
      note: 'The fuzzer (tooling/fuzz) is not wired in yet.',
    }),
};
