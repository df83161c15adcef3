import type { Kysely } from 'kysely';
import type { Verdict } from '../contract/verdict.ts';
import type { ClassMatrix, MatrixCell } from '../contract/classroom.ts';
import type { Tables } from '../db/tables.ts';
import { rosterOf } from './classes.ts';

/** When a student counts as stuck on an exercise: this many Checks of it without a pass, the latest this recent. */
export const STUCK_AFTER_CHECKS = 3;
export const STUCK_WITHIN_MS = 30 * 60_000;

/**
 * The class at a glance: each student × each exercise they tried (a missing cell is "not
 * started"), who is stuck now, and per exercise the pass rate and the check that fails most.
 */
export async function classMatrix(db: Kysely<Tables>, classId: string, now = Date.now()): Promise<ClassMatrix> {
  const students = (await rosterOf(db, classId)).map((s) => ({ userId: s.userId, displayName: s.displayName }));
  const rows = await db
    .selectFrom('check_records')
    .innerJoin('enrollments', 'enrollments.user_id', 'check_records.user_id')
    .select(['check_records.user_id as userId', 'check_records.exercise_slug as exercise', 'check_records.status', 'check_records.score', 'check_records.max_score as maxScore', 'check_records.checked_at as checkedAt', 'check_records.verdict'])
    .where('enrollments.class_id', '=', classId)
    .orderBy('check_records.checked_at')
    .execute();

  const cells: Record<string, Record<string, MatrixCell>> = {};
  const failing: Record<string, Record<string, number>> = {};
  for (const row of rows) {
    const cell = ((cells[row.userId] ??= {})[row.exercise] ??= { state: 'tried', attempts: 0, bestScore: 0, maxScore: row.maxScore, failedSincePass: 0, lastAt: row.checkedAt });
    cell.attempts += 1;
    cell.bestScore = Math.max(cell.bestScore, row.score);
    cell.maxScore = Math.max(cell.maxScore, row.maxScore);
    cell.lastAt = row.checkedAt;
    if (row.status === 'pass') {
      cell.state = 'passed';
      cell.failedSincePass = 0;
    } else {
      cell.failedSincePass += 1;
      const counts = (failing[row.exercise] ??= {});
      for (const t of (JSON.parse(row.verdict) as Verdict).tests) if (t.status !== 'pass') counts[t.name] = (counts[t.name] ?? 0) + 1;
    }
  }

  const stuck: ClassMatrix['stuck'] = [];
  const perExercise: ClassMatrix['perExercise'] = {};
  for (const [userId, byExercise] of Object.entries(cells)) {
    for (const [exercise, cell] of Object.entries(byExercise)) {
      const stats = (perExercise[exercise] ??= { tried: 0, passed: 0, passRate: 0, mostFailedCheck: null });
      stats.tried += 1;
      if (cell.state === 'passed') stats.passed += 1;
      if (cell.state !== 'passed' && cell.failedSincePass >= STUCK_AFTER_CHECKS && now - Date.parse(cell.lastAt) <= STUCK_WITHIN_MS) {
        stuck.push({ userId, exercise, failedChecks: cell.failedSincePass, lastAt: cell.lastAt });
      }
    }
  }
  for (const [exercise, stats] of Object.entries(perExercise)) {
    stats.passRate = stats.passed / stats.tried;
    const worst = Object.entries(failing[exercise] ?? {}).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
    stats.mostFailedCheck = worst ? { name: worst[0], failures: worst[1] } : null;
  }
  return { students, exercises: Object.keys(perExercise).sort(), cells, stuck, perExercise };
}
