import type { Kysely } from 'kysely';
import type { Class, Tables, User } from '../db/tables.ts';
import { createUser, userForIdentity } from '../classroom/accounts.ts';
import { createClass } from '../classroom/classes.ts';
import { ClassroomError } from '../classroom/errors.ts';
import { CLAIM, LINEITEM_SCOPE, roleOf, SCORE_SCOPE } from './claims.ts';
import type { VerifiedLaunch } from './launch.ts';

type Db = Kysely<Tables>;
const iso = (ms: number) => new Date(ms).toISOString();

/** What a launch signs in: the user, their class, and the exercise the link grades (if any). */
export interface Admitted {
  user: User;
  class: Class | undefined;
  exercise: string | undefined;
}

/** The identity provider name of a platform's users. */
export const ltiProvider = (issuer: string) => `lti:${issuer}`;

/** The exercise a resource link grades: its `exercise` custom parameter, when it is a slug. */
export function exerciseOf(launch: VerifiedLaunch): string | undefined {
  const value = launch.claims[CLAIM.custom]?.exercise;
  return typeof value === 'string' && /^[a-z0-9][a-z0-9-]{0,99}$/.test(value) ? value : undefined;
}

/**
 * Acts on a verified launch: maps the LTI user onto a Dockyard user, the LMS course onto a class
 * (made on the course's first launch, whoever it is), enrolls a student, and keeps where the
 * student's grade of the linked exercise goes.
 */
export async function admitLaunch(db: Db, launch: VerifiedLaunch, now = Date.now()): Promise<Admitted> {
  const { claims, platform } = launch;
  const role = roleOf(claims[CLAIM.roles]);
  if (!role) throw new ClassroomError('forbidden', 'lti_role_not_supported', 'Dockyard takes launches from a course\'s instructors and learners only; your role in this course is neither.');
  const name = claims.name ?? ([claims.given_name, claims.family_name].filter(Boolean).join(' ') || (role === 'instructor' ? 'Instructor' : 'Student'));
  const user = await userForIdentity(db, { provider: ltiProvider(platform.issuer), subject: claims.sub, role, displayName: name, email: claims.email ?? null }, now);
  if (user.role !== role) {
    throw new ClassroomError('forbidden', 'lti_role_changed', `You are a ${user.role} in Dockyard but arrive as a ${role}; ask your Dockyard operator to sort out your account.`);
  }
  const context = claims[CLAIM.context];
  const cls = context && (await classForContext(db, launch, context, user, now));
  if (cls && role === 'student') {
    const enrolled = await db.selectFrom('enrollments').select('user_id').where('class_id', '=', cls.id).where('user_id', '=', user.id).executeTakeFirst();
    if (!enrolled && cls.closed_at) throw new ClassroomError('closed', 'class_closed', `The class "${cls.name}" is closed: it takes no new students.`);
    await db.insertInto('enrollments').values({ class_id: cls.id, user_id: user.id, joined_at: iso(now) }).onConflict((oc) => oc.columns(['class_id', 'user_id']).doNothing()).execute();
  }
  const exercise = exerciseOf(launch);
  const ags = claims[CLAIM.agsEndpoint];
  // A link with its own line item grades there; one without (not an assignment) gets a line item made in the course's container.
  const canMake = ags?.lineitems !== undefined && ags.scope.includes(LINEITEM_SCOPE);
  if (role === 'student' && exercise && ags && (ags.lineitem || canMake) && ags.scope.includes(SCORE_SCOPE)) {
    const resourceLinkId = claims[CLAIM.resourceLink].id;
    const before = await db.selectFrom('lti_grade_links').selectAll().where('user_id', '=', user.id).where('exercise_slug', '=', exercise).executeTakeFirst();
    const made = before && before.lineitems === (ags.lineitems ?? null) && before.resource_link_id === resourceLinkId ? before.lineitem : '';
    const values = {
      issuer: platform.issuer,
      client_id: platform.clientId,
      subject: claims.sub,
      lineitem: ags.lineitem ?? made,
      lineitems: ags.lineitems ?? null,
      resource_link_id: resourceLinkId,
      scopes: ags.scope.join(' '),
      updated_at: iso(now),
    };
    await db
      .insertInto('lti_grade_links')
      .values({ user_id: user.id, exercise_slug: exercise, ...values })
      .onConflict((oc) => oc.columns(['user_id', 'exercise_slug']).doUpdateSet(values))
      .execute();
  }
  return { user, class: cls, exercise };
}

/**
 * The class of an LMS course. The first launch from a course makes it: an instructor's is theirs;
 * a student's, arriving before any instructor, is held by a stand-in owner until the course's
 * first instructor launches and takes it over. Two servers making it at once end with one class.
 */
async function classForContext(db: Db, launch: VerifiedLaunch, context: { id: string; title?: string | undefined; label?: string | undefined }, user: User, now: number): Promise<Class> {
  const key = { issuer: launch.platform.issuer, deployment_id: launch.claims[CLAIM.deploymentId], context_id: context.id };
  const mapped = () =>
    db
      .selectFrom('lti_contexts')
      .innerJoin('classes', 'classes.id', 'lti_contexts.class_id')
      .selectAll('classes')
      .select('lti_contexts.owner_pending')
      .where('lti_contexts.issuer', '=', key.issuer)
      .where('lti_contexts.deployment_id', '=', key.deployment_id)
      .where('lti_contexts.context_id', '=', key.context_id)
      .executeTakeFirst();
  let found = await mapped();
  if (!found) {
    const title = context.title ?? context.label ?? `Course ${context.id}`;
    const owner = user.role === 'instructor' ? user : await createUser(db, { role: 'instructor', displayName: `${title} (until its instructor arrives)` }, now);
    const made = await createClass(db, owner.id, { name: title.slice(0, 200), requireEmail: false }, now);
    const inserted = await db
      .insertInto('lti_contexts')
      .values({ ...key, class_id: made.id, owner_pending: owner === user ? 0 : 1, created_at: iso(now) })
      .onConflict((oc) => oc.columns(['issuer', 'deployment_id', 'context_id']).doNothing())
      .returning('class_id')
      .executeTakeFirst();
    if (!inserted) {
      // Another server made this course's class first: its class is the one.
      await db.deleteFrom('classes').where('id', '=', made.id).execute();
      if (owner !== user) await db.deleteFrom('users').where('id', '=', owner.id).execute();
    }
    found = await mapped();
    if (!found) throw new Error(`the class of LTI context ${key.context_id} was made but cannot be read back`);
  }
  if (found.owner_pending && user.role === 'instructor') {
    // The course's first instructor takes over the class a student's launch made; exactly one does.
    const took = await db.updateTable('lti_contexts').set({ owner_pending: 0 }).where('class_id', '=', found.id).where('owner_pending', '=', 1).returning('class_id').executeTakeFirst();
    if (took) {
      await db.updateTable('classes').set({ instructor_id: user.id }).where('id', '=', found.id).execute();
      await db.deleteFrom('users').where('id', '=', found.instructor_id).execute();
      found = { ...found, instructor_id: user.id };
    }
  }
  const { owner_pending: _pending, ...cls } = found;
  return cls;
}
