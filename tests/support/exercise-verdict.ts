import { expect } from 'vitest';
import type { Verdict } from '../../sandbox-server/contract/verdict.ts';

/** The verdict an exercise's golden case expects: its status, and the checks that must not pass. */
export interface ExpectedExerciseVerdict {
  status: 'pass' | 'fail' | 'error';
  /** The checks that must not pass; every other check must pass. */
  failing: string[];
}

/** Asserts that `verdict` has the expected status and exactly the expected checks not passing. */
export function expectExerciseVerdict(verdict: Verdict, expected: ExpectedExerciseVerdict, label: string): void {
  const report = JSON.stringify(verdict.tests.map((t) => ({ name: t.name, status: t.status, message: t.message })), null, 2);
  expect(verdict.status, `${label}: ${verdict.message ?? ''}\n${report}`).toBe(expected.status);
  const notPassing = verdict.tests.filter((t) => t.status !== 'pass').map((t) => t.name).sort();
  expect(notPassing, `${label}\n${report}`).toEqual([...expected.failing].sort());
  for (const name of expected.failing) expect(verdict.tests.map((t) => t.name), `${label}: ${name} is not one of its checks`).toContain(name);
}
