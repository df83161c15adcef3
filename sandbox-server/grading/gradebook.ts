import type { Verdict } from '../contract/verdict.ts';
import type { GradeResult } from './grade-batch.ts';

/** One gradebook line. Ungraded rows (checker failure) have null score, max_score and graded_at. */
export interface GradeRow {
  student: string;
  exercise: string;
  score: number | null;
  max_score: number | null;
  status: 'pass' | 'fail' | 'error';
  graded_at: string | null;
  graded: boolean;
}

/** The whole gradebook: rows and verdicts, both in student order. */
export interface Gradebook {
  exercise: string;
  generated_at: string;
  /** False when some submission could not be graded because the checker failed. */
  complete: boolean;
  rows: GradeRow[];
  verdicts: Record<string, Verdict>;
}

/** The gradebook row of one result; `maxScore` (the exercise's) replaces the 0 of verdicts that never ran checks. */
export function gradeRow(exercise: string, r: GradeResult, maxScore?: number): GradeRow {
  return {
    student: r.student,
    exercise,
    score: r.graded ? r.verdict.score : null,
    max_score: r.graded ? Math.max(r.verdict.max_score, maxScore ?? 0) : null,
    status: r.verdict.status,
    graded_at: r.graded_at,
    graded: r.graded,
  };
}

/** Builds the gradebook of a batch's results (already in student order). */
export function buildGradebook(exercise: string, results: readonly GradeResult[], opts: { maxScore?: number; now?: Date } = {}): Gradebook {
  const verdicts: Record<string, Verdict> = {};
  for (const r of results) verdicts[r.student] = r.verdict;
  return {
    exercise,
    generated_at: (opts.now ?? new Date()).toISOString(),
    complete: results.every((r) => r.graded),
    rows: results.map((r) => gradeRow(exercise, r, opts.maxScore)),
    verdicts,
  };
}
