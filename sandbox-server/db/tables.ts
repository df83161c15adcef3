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
  sandbox_servers: SandboxServersTable;
  sandbox_sessions: SandboxSessionsTable;
  sandbox_session_tokens: SandboxSessionTokensTable;
  identities: IdentitiesTable;
  lti_tool_keys: LtiToolKeysTable;
  lti_logins: LtiLoginsTable;
  lti_contexts: LtiContextsTable;
  lti_grade_links: LtiGradeLinksTable;
  lti_score_sends: LtiScoreSendsTable;
}

/** A person: an instructor or a student. Institutional identities (OIDC, LTI) map onto a user. */
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
  /** When the class starts (ISO), or null: its students' sandboxes are made ready shortly before. */
  starts_at: string | null;
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

/** A Dockyard server sharing the database: alive while its heartbeat is renewed before `lapses_at`. */
export interface SandboxServersTable {
  id: string;
  /** Its process, `host/pid` (the owner label on what it creates in the engine). */
  owner: string;
  /** The Docker engine it runs sandboxes on (the engine's ID). */
  engine: string;
  started_at: string;
  heartbeat_at: string;
  lapses_at: string;
}

/** A live session (or one being created): the server that holds it, its client and the client's slot under the cap. */
export interface SandboxSessionsTable {
  id: string;
  server_id: string;
  engine: string;
  client_key: string;
  slot: number;
  kind: string;
  sandbox_id: string | null;
  created_at: string;
  expires_at: string;
}

/** More bearer tokens of a session (the one in its engine marker is the first): a signed-in student's next page reusing it. */
export interface SandboxSessionTokensTable {
  session_id: string;
  token_hash: string;
}

/** An institutional identity (an OIDC subject, an LTI user) of a Dockyard user. */
export interface IdentitiesTable {
  /** `oidc:<issuer>` or `lti:<issuer>`. */
  provider: string;
  /** The provider's stable ID of the person (`sub`). */
  subject: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
}

/** The tool's own signing keys (LTI 1.3): the oldest signs, all are published. */
export interface LtiToolKeysTable {
  kid: string;
  private_jwk: string;
  created_at: string;
}

/** An LTI login in flight: its state (hashed) and nonce, spent once by the launch. */
export interface LtiLoginsTable {
  state_hash: string;
  nonce: string;
  issuer: string;
  client_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** An LMS course (its context at a platform's deployment) mapped onto a Dockyard class. */
export interface LtiContextsTable {
  issuer: string;
  deployment_id: string;
  context_id: string;
  class_id: string;
  /** 1 while a stand-in owns the class, until the course's first instructor launches. */
  owner_pending: number;
  created_at: string;
}

/** Where a student's grade of one exercise goes: the AGS line item of their last launch of it. */
export interface LtiGradeLinksTable {
  user_id: string;
  exercise_slug: string;
  issuer: string;
  client_id: string;
  /** The student's LTI `sub`, the AGS userId. */
  subject: string;
  /** The line item the grade goes to; empty until Dockyard has made it in `lineitems`. */
  lineitem: string;
  /** The course's line items container (AGS `lineitems`), where a missing line item is made. */
  lineitems: string | null;
  /** The resource link the line item belongs to. */
  resource_link_id: string | null;
  /** The AGS scopes the platform granted, space-separated. */
  scopes: string;
  updated_at: string;
}

/** A grade to send to the LMS, kept until it is sent (retried after a failure). */
export interface LtiScoreSendsTable {
  user_id: string;
  exercise_slug: string;
  state: 'pending' | 'sent' | 'failed';
  attempts: number;
  last_error: string | null;
  score_given: number | null;
  score_maximum: number | null;
  activity_progress: string | null;
  updated_at: string;
  next_try_at: string;
  sent_at: string | null;
}

export type User = Selectable<UsersTable>;
export type Class = Selectable<ClassesTable>;
export type NewCheckRecord = Insertable<CheckRecordsTable>;
