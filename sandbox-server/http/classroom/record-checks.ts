import type { Kysely } from 'kysely';
import { recordCheck } from '../../classroom/records.ts';
import type { Tables } from '../../db/tables.ts';
import type { OnChecked } from '../exercises.ts';

/**
 * Records every Check of a signed-in student (anonymous and instructor Checks are not kept).
 * A record that cannot be written is logged, and the student still gets their verdict.
 * `afterRecorded` hears of each record (the LMS grade passback), without holding up the answer.
 */
export function recordStudentChecks(
  db: Kysely<Tables>,
  log: (line: string) => void = () => {},
  afterRecorded?: (userId: string, exercise: string) => Promise<void>,
): OnChecked {
  return async (c, { exercise, submission, verdict }) => {
    const viewer = c.get('viewer');
    if (viewer?.role !== 'student') return;
    try {
      await recordCheck(db, { userId: viewer.id, exercise: exercise.slug, module: exercise.frontmatter.module, submission, verdict });
      void afterRecorded?.(viewer.id, exercise.slug);
    } catch (err) {
      log(`recording a Check of ${exercise.slug} for ${viewer.id} failed: ${(err as Error).message}`);
    }
  };
}
