import type { Insertable, Selectable } from 'kysely';

/**
 * The classroom's tables, as Kysely sees them. Times are ISO 8601 strings (they sort and
 * compare the same on SQLite and PostgreSQL); flags are 0/1; documents are JSON text.
 */
export interface Tables {
  users: UsersTable;
  classes: ClassesTable;
  enrollments: EnrollmentsTable;
  auth_sessions: AuthSessionsTable;
  sign_in_links: SignInLinksTable;
  check_records: CheckRecordsTable;
  progress: ProgressTable;
  lesson_visits: LessonVisitsTable;
  drafts: DraftsTable;
}

/** A person: an instructor or a student. Institutional identities (OIDC, LTI) will map onto a user. */
export interface UsersTable {
  id: string;
  role: 'instructor' | 'student';
  display_name: string;
  email: string | null;
  created_at: string;
}

/** A class an instructor runs; students join it by its join code while it is open. */
export interface ClassesTable {
  id: string;
  name: string;
  instructor_id: string;
  join_code: string;
  require_email: number;
  closed_at: string | null;
  created_at: string;
}

/** A student's membership of a class. */
export interface EnrollmentsTable {
  class_id: string;
  user_id: string;
  joined_at: string;
}

/** A signed-in browser: only the SHA-256 of its cookie's token is kept. */
export interface AuthSessionsTable {
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}

/** A one-time sign-in link: only its token's SHA-256; used once, before it expires. */
export interface SignInLinksTable {
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** One Check a signed-in student pressed: what was checked, the verdict, when. */
export interface CheckRecordsTable {
  id: string;
  user_id: string;
  exercise_slug: string;
  status: string;
  score: number;
  max_score: number;
  /** JSON: `{ kind: 'files', files }` or `{ kind: 'terminal', sessionId }`. */
  submission: string;
  /** JSON: the whole verdict, as the student saw it. */
  verdict: string;
  checked_at: string;
}

/** Each exercise's state for a student, merged from their browsers and their Checks. */
export interface ProgressTable {
  user_id: string;
  exercise_slug: string;
  status: 'passed' | 'attempted';
  score: number;
  max_score: number;
  module: string | null;
  at: string;
}

/** When a student last visited a lesson. */
export interface LessonVisitsTable {
  user_id: string;
  path: string;
  at: string;
}

/** A student's draft of one exercise: its editable files, as of `updated_at` on their device. */
export interface DraftsTable {
  user_id: string;
  exercise_slug: string;
  /** JSON: file path → content. */
  files: string;
  updated_at: string;
}

export type User = Selectable<UsersTable>;
export type Class = Selectable<ClassesTable>;
export type NewCheckRecord = Insertable<CheckRecordsTable>;
