import type { Kysely } from 'kysely';
import type { Class, Tables, User } from '../db/tables.ts';
import { createUser } from './accounts.ts';
import { ClassroomError } from './errors.ts';
import { newId, newJoinCode } from './tokens.ts';

type Db = Kysely<Tables>;
const iso = (ms: number) => new Date(ms).toISOString();

/** A class's roster entry. */
export interface RosterEntry {
  userId: string;
  displayName: string;
  email: string | null;
  joinedAt: string;
}

/** Creates a class owned by an instructor, with a fresh join code. */
export async function createClass(db: Db, instructorId: string, input: { name: string; requireEmail: boolean }, now = Date.now()): Promise<Class> {
  const row: Class = {
    id: newId(),
    name: input.name,
    instructor_id: instructorId,
    join_code: newJoinCode(),
    require_email: input.requireEmail ? 1 : 0,
    closed_at: null,
    starts_at: null,
    created_at: iso(now),
  };
  await db.insertInto('classes').values(row).execute();
  return row;
}

/** The classes an instructor owns, newest first. */
export async function classesOf(db: Db, instructorId: string): Promise<Class[]> {
  return db.selectFrom('classes').selectAll().where('instructor_id', '=', instructorId).orderBy('created_at', 'desc').execute();
}

/**
 * One class of this instructor's. Another instructor's class is answered exactly as a class
 * that does not exist, so ids reveal nothing.
 */
export async function ownedClass(db: Db, instructorId: string, classId: string): Promise<Class> {
  const found = await db.selectFrom('classes').selectAll().where('id', '=', classId).where('instructor_id', '=', instructorId).executeTakeFirst();
  if (!found) throw new ClassroomError('not_found', 'class_not_found', `No class ${classId} of yours.`);
  return found;
}

/** Closes a class: its join link is refused from now on; its students keep their records. */
export async function closeClass(db: Db, instructorId: string, classId: string, now = Date.now()): Promise<Class> {
  const found = await ownedClass(db, instructorId, classId);
  if (found.closed_at) return found;
  await db.updateTable('classes').set({ closed_at: iso(now) }).where('id', '=', classId).execute();
  return { ...found, closed_at: iso(now) };
}

/** Sets when a class starts (null clears it); its students' sandboxes are made ready shortly before. */
export async function setClassStart(db: Db, instructorId: string, classId: string, startsAt: string | null): Promise<Class> {
  const found = await ownedClass(db, instructorId, classId);
  const value = startsAt === null ? null : new Date(startsAt).toISOString();
  await db.updateTable('classes').set({ starts_at: value }).where('id', '=', classId).execute();
  return { ...found, starts_at: value };
}

/** The open class a join code belongs to; a closed class's code is refused. */
export async function classForJoinCode(db: Db, code: string): Promise<Class> {
  const found = await db.selectFrom('classes').selectAll().where('join_code', '=', code).executeTakeFirst();
  if (!found) throw new ClassroomError('not_found', 'class_not_found', 'This join link does not belong to any class. Ask your instructor for the link.');
  if (found.closed_at) throw new ClassroomError('closed', 'class_closed', `The class "${found.name}" is closed: it takes no new students.`);
  return found;
}

/**
 * Joins a class by its code: a new student account, or the signed-in student's own. The
 * email is required where the class asks for one.
 */
export async function joinClass(
  db: Db,
  code: string,
  who: { displayName: string; email?: string | undefined; current?: User | undefined },
  now = Date.now(),
): Promise<{ user: User; class: Class }> {
  const joined = await classForJoinCode(db, code);
  if (who.current && who.current.role !== 'student') {
    throw new ClassroomError('forbidden', 'not_a_student', 'Instructors do not join classes; sign out to join as a student.');
  }
  if (joined.require_email && !who.email && !who.current?.email) {
    throw new ClassroomError('invalid', 'email_required', `The class "${joined.name}" asks for your email address.`);
  }
  const user = who.current ?? (await createUser(db, { role: 'student', displayName: who.displayName, email: who.email }, now));
  await db
    .insertInto('enrollments')
    .values({ class_id: joined.id, user_id: user.id, joined_at: iso(now) })
    .onConflict((oc) => oc.columns(['class_id', 'user_id']).doNothing())
    .execute();
  return { user, class: joined };
}

/** The students of a class, in the order they joined. */
export async function rosterOf(db: Db, classId: string): Promise<RosterEntry[]> {
  const rows = await db
    .selectFrom('enrollments')
    .innerJoin('users', 'users.id', 'enrollments.user_id')
    .select(['users.id as userId', 'users.display_name as displayName', 'users.email as email', 'enrollments.joined_at as joinedAt'])
    .where('enrollments.class_id', '=', classId)
    .orderBy('enrollments.joined_at')
    .orderBy('users.id')
    .execute();
  return rows;
}

/** The classes a user belongs to: a student's by enrolment, an instructor's own; open ones first, then newest. */
export async function classesOfUser(db: Db, user: User): Promise<{ id: string; name: string; closedAt: string | null }[]> {
  const rows =
    user.role === 'instructor'
      ? await classesOf(db, user.id)
      : await db
          .selectFrom('enrollments')
          .innerJoin('classes', 'classes.id', 'enrollments.class_id')
          .selectAll('classes')
          .where('enrollments.user_id', '=', user.id)
          .orderBy('enrollments.joined_at', 'desc')
          .execute();
  return rows
    .map((row) => ({ id: row.id, name: row.name, closedAt: row.closed_at }))
    .sort((a, b) => Number(a.closedAt !== null) - Number(b.closedAt !== null));
}

/** Whether a student belongs to a class (an instructor reads only their own classes' students). */
export async function isEnrolled(db: Db, classId: string, userId: string): Promise<boolean> {
  const row = await db.selectFrom('enrollments').select('user_id').where('class_id', '=', classId).where('user_id', '=', userId).executeTakeFirst();
  return row !== undefined;
}

/** For each open class `userId` is enrolled in, the user ids of its students (the per-class bound of kept sandboxes). */
export async function classmatesOf(db: Db, userId: string): Promise<string[][]> {
  const rows = await db
    .selectFrom('enrollments as mine')
    .innerJoin('classes', 'classes.id', 'mine.class_id')
    .innerJoin('enrollments as all', 'all.class_id', 'mine.class_id')
    .select(['mine.class_id as classId', 'all.user_id as userId'])
    .where('mine.user_id', '=', userId)
    .where('classes.closed_at', 'is', null)
    .execute();
  const byClass = new Map<string, string[]>();
  for (const row of rows) byClass.set(row.classId, [...(byClass.get(row.classId) ?? []), row.userId]);
  return [...byClass.values()];
}
