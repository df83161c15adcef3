import type { Kysely } from 'kysely';
import type { Verdict } from '../contract/verdict.ts';
import type { Tables } from '../db/tables.ts';
import type { GradeResult } from '../grading/grade-batch.ts';

/**
 * A class's grades on one exercise, as batch results: each student who pressed Check, graded
 * by their best Check (the highest score; of equal scores the latest), in name order. A
 * student's gradebook name is their display name, with their id's start where two share one.
 */
export async function classGrades(db: Kysely<Tables>, classId: string, exercise: string): Promise<GradeResult[]> {
  const rows = await db
    .selectFrom('check_records')
    .innerJoin('enrollments', 'enrollments.user_id', 'check_records.user_id')
    .innerJoin('users', 'users.id', 'check_records.user_id')
    .select(['users.id as userId', 'users.display_name as name', 'check_records.verdict', 'check_records.score', 'check_records.checked_at as checkedAt'])
    .where('enrollments.class_id', '=', classId)
    .where('check_records.exercise_slug', '=', exercise)
    .orderBy('check_records.checked_at')
    .execute();
  const best = new Map<string, { name: string; verdict: string; score: number; checkedAt: string; attempts: number }>();
  for (const row of rows) {
    const kept = best.get(row.userId);
    const attempts = (kept?.attempts ?? 0) + 1;
    if (!kept || row.score >= kept.score) best.set(row.userId, { ...row, attempts });
    else kept.attempts = attempts;
  }
  const nameCount = new Map<string, number>();
  for (const b of best.values()) nameCount.set(b.name, (nameCount.get(b.name) ?? 0) + 1);
  const results: GradeResult[] = [...best].map(([userId, b]) => {
    const verdict = JSON.parse(b.verdict) as Verdict;
    const student = (nameCount.get(b.name) ?? 0) > 1 ? `${b.name} (${userId.slice(0, 8)})` : b.name;
    return { student, verdict, graded: true, graded_at: b.checkedAt, attempts: b.attempts, ms: verdict.resources.wall_ms };
  });
  return results.sort((a, b) => (a.student < b.student ? -1 : a.student > b.student ? 1 : 0));
}
