import type { Kysely } from 'kysely';
import type { Selectable } from 'kysely';
import type { CheckRecordsTable, Tables } from '../db/tables.ts';
import type { Verdict } from '../checkers/verdict.ts';
import { ClassroomError } from './errors.ts';
import { newId } from './tokens.ts';
import type { CheckedSubmission, CheckRecord, CheckSummary, ProgressDocument } from '../contract/classroom.ts';

type Db = Kysely<Tables>;

/** Records one Check of a signed-in student and folds it into their progress. */
export async function recordCheck(
  db: Db,
  entry: { userId: string; exercise: string; module?: string | undefined; submission: CheckedSubmission; verdict: Verdict },
  now = Date.now(),
): Promise<CheckSummary> {
  const at = new Date(now).toISOString();
  const { verdict } = entry;
  const row = {
    id: newId(),
    user_id: entry.userId,
    exercise_slug: entry.exercise,
    status: verdict.status,
    score: verdict.score,
    max_score: verdict.max_score,
    submission: JSON.stringify(entry.submission),
    verdict: JSON.stringify(verdict),
    checked_at: at,
  };
  await db.insertInto('check_records').values(row).execute();
  await mergeExerciseProgress(db, entry.userId, entry.exercise, {
    status: verdict.status === 'pass' ? 'passed' : 'attempted',
    score: verdict.score,
    maxScore: verdict.max_score,
    at,
    module: entry.module,
  });
  return { id: row.id, userId: row.user_id, exercise: row.exercise_slug, status: row.status, score: row.score, maxScore: row.max_score, checkedAt: at };
}

const summaryColumns = [
  'id',
  'user_id as userId',
  'exercise_slug as exercise',
  'status',
  'score',
  'max_score as maxScore',
  'checked_at as checkedAt',
] as const;

/** A student's recorded Checks, oldest first; one exercise's when a slug is given. */
export async function checksOf(db: Db, userId: string, exercise?: string): Promise<CheckSummary[]> {
  let query = db.selectFrom('check_records').select(summaryColumns).where('user_id', '=', userId);
  if (exercise) query = query.where('exercise_slug', '=', exercise);
  return query.orderBy('checked_at').orderBy('id').execute();
}

/** Every recorded Check of a class's students, oldest first. */
export async function checksOfClass(db: Db, classId: string): Promise<CheckSummary[]> {
  return db
    .selectFrom('check_records')
    .innerJoin('enrollments', 'enrollments.user_id', 'check_records.user_id')
    .select(['check_records.id', 'check_records.user_id as userId', 'check_records.exercise_slug as exercise', 'check_records.status', 'check_records.score', 'check_records.max_score as maxScore', 'check_records.checked_at as checkedAt'])
    .where('enrollments.class_id', '=', classId)
    .orderBy('check_records.checked_at')
    .orderBy('check_records.id')
    .execute();
}

/** One recorded Check, only if it is this student's: another's id reads as unknown. */
export async function checkOf(db: Db, userId: string, id: string): Promise<CheckRecord> {
  const row = await db.selectFrom('check_records').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  if (!row) throw new ClassroomError('not_found', 'check_not_found', `No recorded Check ${id} of yours.`);
  return fullRecord(row);
}

/** One recorded Check of a student of this class; any other id reads as unknown. */
export async function checkOfClass(db: Db, classId: string, id: string): Promise<CheckRecord> {
  const row = await db
    .selectFrom('check_records')
    .innerJoin('enrollments', 'enrollments.user_id', 'check_records.user_id')
    .selectAll('check_records')
    .where('check_records.id', '=', id)
    .where('enrollments.class_id', '=', classId)
    .executeTakeFirst();
  if (!row) throw new ClassroomError('not_found', 'check_not_found', `No recorded Check ${id} in this class.`);
  return fullRecord(row);
}

function fullRecord(row: Selectable<CheckRecordsTable>): CheckRecord {
  return {
    id: row.id,
    userId: row.user_id,
    exercise: row.exercise_slug,
    status: row.status,
    score: row.score,
    maxScore: row.max_score,
    checkedAt: row.checked_at,
    submission: JSON.parse(row.submission) as CheckedSubmission,
    verdict: JSON.parse(row.verdict) as Verdict,
  };
}

/** One exercise's state, in the browser store's shape. */
export type ExerciseProgress = ProgressDocument['exercises'][string];

/** Which of two states of one exercise wins: a pass beats an attempt, then the later one. */
export function newerProgress(a: ExerciseProgress, b: ExerciseProgress): ExerciseProgress {
  if (a.status !== b.status) return a.status === 'passed' ? a : b;
  return Date.parse(b.at) > Date.parse(a.at) ? b : a;
}

async function mergeExerciseProgress(db: Db, userId: string, exercise: string, incoming: ExerciseProgress): Promise<void> {
  const current = await db.selectFrom('progress').selectAll().where('user_id', '=', userId).where('exercise_slug', '=', exercise).executeTakeFirst();
  const mine = current && { status: current.status, score: current.score, maxScore: current.max_score, at: current.at, module: current.module ?? undefined };
  const kept = mine ? newerProgress(mine, incoming) : incoming;
  if (mine && kept === mine) return;
  const values = { status: kept.status, score: kept.score, max_score: kept.maxScore, at: kept.at, module: kept.module ?? mine?.module ?? null };
  await db
    .insertInto('progress')
    .values({ user_id: userId, exercise_slug: exercise, ...values })
    .onConflict((oc) => oc.columns(['user_id', 'exercise_slug']).doUpdateSet(values))
    .execute();
}

/** A student's progress as the server knows it. */
export async function progressOf(db: Db, userId: string): Promise<ProgressDocument> {
  const rows = await db.selectFrom('progress').selectAll().where('user_id', '=', userId).execute();
  const visits = await db.selectFrom('lesson_visits').selectAll().where('user_id', '=', userId).execute();
  const exercises: Record<string, ExerciseProgress> = {};
  for (const r of rows) {
    exercises[r.exercise_slug] = { status: r.status, score: r.score, maxScore: r.max_score, at: r.at, ...(r.module ? { module: r.module } : {}) };
  }
  return { version: 1, exercises, visited: Object.fromEntries(visits.map((v) => [v.path, v.at])) };
}

/** Merges a browser's progress into the server's (a pass beats an attempt, then the later); returns the merged whole. */
export async function mergeProgress(db: Db, userId: string, incoming: ProgressDocument): Promise<ProgressDocument> {
  await db.transaction().execute(async (tx) => {
    for (const [exercise, state] of Object.entries(incoming.exercises)) await mergeExerciseProgress(tx, userId, exercise, state);
    for (const [path, at] of Object.entries(incoming.visited)) {
      const current = await tx.selectFrom('lesson_visits').select('at').where('user_id', '=', userId).where('path', '=', path).executeTakeFirst();
      if (current && Date.parse(current.at) >= Date.parse(at)) continue;
      await tx
        .insertInto('lesson_visits')
        .values({ user_id: userId, path, at })
        .onConflict((oc) => oc.columns(['user_id', 'path']).doUpdateSet({ at }))
        .execute();
    }
  });
  return progressOf(db, userId);
}

/** A student's draft of one exercise. */
export interface Draft {
  exercise: string;
  files: Record<string, string>;
  updatedAt: string;
}

/** Saves a draft unless the server holds a later one; returns the draft that is kept. */
export async function saveDraft(db: Db, userId: string, draft: Draft): Promise<Draft> {
  const current = await draftOf(db, userId, draft.exercise);
  if (current && Date.parse(current.updatedAt) > Date.parse(draft.updatedAt)) return current;
  const values = { files: JSON.stringify(draft.files), updated_at: draft.updatedAt };
  await db
    .insertInto('drafts')
    .values({ user_id: userId, exercise_slug: draft.exercise, ...values })
    .onConflict((oc) => oc.columns(['user_id', 'exercise_slug']).doUpdateSet(values))
    .execute();
  return draft;
}

/** A student's saved draft of one exercise, if any. */
export async function draftOf(db: Db, userId: string, exercise: string): Promise<Draft | undefined> {
  const row = await db.selectFrom('drafts').selectAll().where('user_id', '=', userId).where('exercise_slug', '=', exercise).executeTakeFirst();
  return row && { exercise: row.exercise_slug, files: JSON.parse(row.files) as Record<string, string>, updatedAt: row.updated_at };
}

/** Every saved draft of a student. */
export async function draftsOf(db: Db, userId: string): Promise<Draft[]> {
  const rows = await db.selectFrom('drafts').selectAll().where('user_id', '=', userId).orderBy('exercise_slug').execute();
  return rows.map((row) => ({ exercise: row.exercise_slug, files: JSON.parse(row.files) as Record<string, string>, updatedAt: row.updated_at }));
}
