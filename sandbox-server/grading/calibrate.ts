import type { Verdict } from '../contract/verdict.ts';
import type { CheckFn } from './grade-batch.ts';

/** Raised when the reference solution does not pass: grading now would not be trustworthy. */
export class CalibrationError extends Error {}

/**
 * Checks the exercise's reference solution before a batch: proves the checker works end to end
 * and yields the exercise's max score, so error rows read 0 of N rather than 0 of 0.
 * An internal failure is retried once; any other outcome than a full-score pass throws.
 */
export async function referenceMaxScore(check: CheckFn, solution: Record<string, string>): Promise<number> {
  let verdict: Verdict | undefined;
  for (let attempt = 1; attempt <= 2 && (!verdict || verdict.error_kind === 'internal'); attempt++) {
    try {
      verdict = await check(solution);
    } catch (err) {
      if (attempt === 2) throw err;
    }
  }
  if (!verdict || verdict.status !== 'pass' || verdict.max_score === 0 || verdict.score !== verdict.max_score) {
    const got = verdict ? `${verdict.status} ${verdict.score}/${verdict.max_score}${verdict.message ? `: ${verdict.message}` : ''}` : 'no verdict';
    throw new CalibrationError(`the reference solution must pass with full score before grading, got ${got}`);
  }
  return verdict.max_score;
}
