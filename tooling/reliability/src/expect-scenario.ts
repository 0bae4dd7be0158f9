/**
 * How a test runs a scenario's short version: a skip is loud (a banner
 * saying what did not run and why) and marks the test skipped; otherwise
 * every invariant must hold, and the figures are printed for the CI log
 * (never asserted: speed is reported, not tested).
 */
import type { TestContext } from 'vitest';
import { expect } from 'vitest';
import type { Scenario, ScenarioResult } from './scenario.js';

/** Runs `scenario`'s short version and expects every invariant to hold (or skips loudly). */
export async function expectScenarioHolds(scenario: Scenario, context: TestContext): Promise<void> {
  const result = await scenario.run({ short: true });
  if (result.status === 'skipped') {
    console.warn(banner(scenario, result));
    context.skip(result.note);
  }
  console.log(
    `${scenario.title}: ${result.figures.map((figure) => `${figure.name} = ${figure.value}`).join('; ')}`,
  );
  const failed = result.checks
    .filter((check) => !check.held)
    .map((check) => `${check.invariant} (${check.detail ?? 'no detail'})`);
  expect(failed).toEqual([]);
  expect(result.note ?? '').not.toMatch(/^it threw/);
  expect(result.checks.length).toBeGreaterThan(0);
  expect(result.status).toBe('passed');
}

function banner(scenario: Scenario, result: ScenarioResult): string {
  return [
    '',
    '!'.repeat(78),
    `!! SKIPPED: ${scenario.title} did NOT run:`,
    `!! ${result.note ?? 'no reason given'}`,
    '!! (.ci/run installs nftables and faketime; namespaces need root.)',
    '!'.repeat(78),
  ].join('\n');
}
