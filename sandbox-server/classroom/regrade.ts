import type { Kysely } from 'kysely';
import type { CheckedSubmission } from '../contract/classroom.ts';
import type { Verdict } from '../contract/verdict.ts';
import type { Tables } from '../db/tables.ts';
import { recordCheck } from './records.ts';

/** One student's regrade: their latest submission's verdict before and after. */
export interface RegradeResult {
  userId: string;
  before: { status: string; score: number };
  after: { status: string; score: number } | null;
  /** Why it was not regraded: a live terminal session is gone once it ends. */
  skipped?: string;
}

/**
 * Checks each student's latest recorded files of one exercise again (after its checker was
 * fixed) and records the new verdict as a Check of theirs. A terminal session checked live
 * cannot be checked again and is skipped; a checker failure is reported, not recorded.
 */
export async function regradeClass(
  db: Kysely<Tables>,
  classId: string,
  exercise: { slug: string; module?: string | undefined },
  check: (files: Record<string, string>) => Promise<Verdict>,
): Promise<RegradeResult[]> {
  const rows = await db
    .selectFrom('check_records')
    .innerJoin('enrollments', 'enrollments.user_id', 'check_records.user_id')
    .select(['check_records.user_id as userId', 'check_records.status', 'check_records.score', 'check_records.submission', 'check_records.checked_at as checkedAt'])
    .where('enrollments.class_id', '=', classId)
    .where('check_records.exercise_slug', '=', exercise.slug)
    .orderBy('check_records.checked_at')
    .execute();
  const latest = new Map<string, (typeof rows)[number]>();
  for (const row of rows) latest.set(row.userId, row);
  return Promise.all(
    [...latest.values()].map(async (row): Promise<RegradeResult> => {
      const before = { status: row.status, score: row.score };
      const submission = JSON.parse(row.submission) as CheckedSubmission;
      if (submission.kind !== 'files') return { userId: row.userId, before, after: null, skipped: 'checked in a live terminal session, which cannot be checked again' };
      const verdict = await check(submission.files);
      if (verdict.error_kind === 'internal') return { userId: row.userId, before, after: null, skipped: `the checker failed: ${verdict.message ?? 'internal error'}` };
      await recordCheck(db, { userId: row.userId, exercise: exercise.slug, module: exercise.module, submission, verdict });
      return { userId: row.userId, before, after: { status: verdict.status, score: verdict.score } };
    }),
  );
}
