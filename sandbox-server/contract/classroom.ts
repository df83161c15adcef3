import { z } from 'zod';
import { VerdictSchema } from './verdict.ts';

const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use a lowercase slug like "volumes-named"').max(100);
/** An exercise's (or a module's) slug: lowercase words joined by `-`. */
export const ExerciseSlugSchema = slug;
const isoTime = z.iso.datetime({ offset: true, message: 'use an ISO 8601 time, e.g. 2026-12-01T09:00:00.000Z' });
const displayName = z.string().trim().min(1, 'give a name of at least one character').max(80, 'use at most 80 characters');
const email = z.email('use an email address like ada@example.org').max(200);

/** The body of POST /api/auth/sign-in: the token of a one-time sign-in link. */
export const SignInRequestSchema = z
  .object({ token: z.string().min(16).max(200).describe('The token of a one-time sign-in link.') })
  .strict();

/** The body of POST /api/admin/instructors (with the admin token). */
export const CreateInstructorRequestSchema = z
  .object({
    email: email.describe("The instructor's email: one instructor account per address."),
    name: displayName.describe('The name students see.'),
  })
  .strict();

/** The body of POST /api/classes. */
export const CreateClassRequestSchema = z
  .object({
    name: z.string().trim().min(1, 'give the class a name').max(120).describe('The class name students see when they join.'),
    requireEmail: z.boolean().default(false).describe('Whether a student must give an email address to join.'),
  })
  .strict();

/** The body of PUT /api/classes/:id/start. */
export const ClassStartRequestSchema = z
  .object({
    startsAt: isoTime
      .nullable()
      .describe("When the class starts; the students' sandboxes are made ready a few minutes before. null clears it."),
  })
  .strict();

/** The body of POST /api/join/:code. */
export const JoinClassRequestSchema = z
  .object({
    displayName: displayName.describe('The name the instructor sees on the roster.'),
    email: email.optional().describe('The student\'s email, where the class asks for one.'),
  })
  .strict();

/** One exercise's state after its latest Check, as the browser's progress store keeps it. */
export const ExerciseProgressSchema = z
  .object({
    status: z.enum(['passed', 'attempted']).describe('Passed, or Checked without passing.'),
    score: z.number().int().nonnegative().describe('Score of the Check that set this state.'),
    maxScore: z.number().int().nonnegative().describe('The most that Check could score.'),
    at: isoTime.describe('When that Check finished.'),
    module: slug.optional().describe('The exercise\'s module.'),
  })
  .strict();

/** A student's progress (PUT /api/me/progress), merged with what the server has. */
export const ProgressDocumentSchema = z
  .object({
    version: z.literal(1).describe('The progress store\'s format version.'),
    exercises: z
      .record(slug, ExerciseProgressSchema)
      .refine((e) => Object.keys(e).length <= 500, 'at most 500 exercises')
      .describe('Exercise slug → its state.'),
    visited: z
      .record(z.string().startsWith('/').max(300), isoTime)
      .refine((v) => Object.keys(v).length <= 500, 'at most 500 lessons')
      .describe('Lesson path → when it was last visited.'),
  })
  .strip();

/** The body of PUT /api/me/drafts/:slug: the editable files as the student left them. */
export const DraftRequestSchema = z
  .object({
    files: z
      .record(z.string().min(1).max(200), z.string().max(256 * 1024))
      .refine((f) => Object.keys(f).length <= 50, 'at most 50 files')
      .describe('File path → content.'),
    updatedAt: isoTime.describe('When the student last changed it, on their device: the later draft wins.'),
  })
  .strict();

/** Who is signed in (GET /api/auth/me). */
export const ViewerSchema = z.object({
  id: z.string().describe('The user id.'),
  role: z.enum(['student', 'instructor']).describe('What they may do.'),
  displayName: z.string().describe('Their name.'),
  email: z.string().nullable().describe('Their email, when they gave one.'),
  classes: z
    .array(z.object({ id: z.string(), name: z.string(), closedAt: z.string().nullable() }))
    .optional()
    .describe("A student's classes, or an instructor's own, open ones first (GET /api/auth/me)."),
});

/** The ways this server signs people in besides one-time links (GET /api/auth/providers). */
export const AuthProvidersSchema = z.object({
  oidc: z
    .object({
      name: z.string().describe('The institution, as the button names it: "Sign in with <name>".'),
      startUrl: z.string().describe('Where the button goes; add `?returnTo=<same-site path>` to come back there.'),
    })
    .nullable()
    .describe("The institution's OpenID Connect sign-in; null when it is not set up."),
});

/** A class as its instructor sees it. */
export const ClassSummarySchema = z.object({
  id: z.string().describe('The class id.'),
  name: z.string().describe('Its name.'),
  joinUrl: z.string().describe('The link students open to join.'),
  requireEmail: z.boolean().describe('Whether joining asks for an email.'),
  closedAt: z.string().nullable().describe('When it was closed (its join link refused since), or null.'),
  startsAt: z.string().nullable().describe("When it starts (its students' sandboxes made ready shortly before), or null."),
  createdAt: z.string().describe('When it was made.'),
});

/** A recorded Check, in lists (without its files and verdict). */
export const CheckSummarySchema = z.object({
  id: z.string().describe('The record id.'),
  userId: z.string().describe('The student who pressed Check.'),
  exercise: z.string().describe('The exercise slug.'),
  status: z.string().describe('The verdict: pass, fail or error.'),
  score: z.number().describe('Its score.'),
  maxScore: z.number().describe('The most it could score.'),
  checkedAt: z.string().describe('When the Check finished.'),
});

/** What a Check looked at: the submitted files, or the live terminal session it inspected. */
export const CheckedSubmissionSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('files'), files: z.record(z.string(), z.string()) }),
    z.object({ kind: z.literal('terminal'), sessionId: z.string() }),
  ])
  .describe('The files checked, or the live terminal session inspected.');

/** A recorded Check in full: what was checked and the verdict. */
export const CheckRecordSchema = CheckSummarySchema.extend({
  submission: CheckedSubmissionSchema,
  verdict: VerdictSchema.describe('The verdict the student saw.'),
});

/** One student's state on one exercise in the class matrix; no cell means not started. */
export const MatrixCellSchema = z.object({
  state: z.enum(['tried', 'passed']).describe('Passed at least once, or Checked without passing.'),
  attempts: z.number().int().describe('How many Checks.'),
  bestScore: z.number().int().describe('The best score of those Checks.'),
  maxScore: z.number().int().describe('The most a Check could score.'),
  failedSincePass: z.number().int().describe('Checks without a pass since the last pass (or since the first).'),
  lastAt: z.string().describe('When the latest Check finished.'),
});

/** The class at a glance (GET /api/classes/:id/matrix): roster × exercises, who is stuck, each exercise's pass rate. */
export const ClassMatrixSchema = z.object({
  students: z.array(z.object({ userId: z.string(), displayName: z.string() })).describe('The roster, in joining order.'),
  exercises: z.array(z.string()).describe('Every exercise some student Checked, by slug.'),
  cells: z.record(z.string(), z.record(z.string(), MatrixCellSchema)).describe('Student id → exercise slug → state.'),
  stuck: z
    .array(z.object({ userId: z.string(), exercise: z.string(), failedChecks: z.number().int(), lastAt: z.string() }))
    .describe('Students with several failed Checks of one exercise and no pass, the latest recent.'),
  perExercise: z
    .record(
      z.string(),
      z.object({
        tried: z.number().int().describe('Students who Checked it.'),
        passed: z.number().int().describe('Students who passed it.'),
        passRate: z.number().describe('passed / tried.'),
        mostFailedCheck: z.object({ name: z.string(), failures: z.number().int() }).nullable().describe('The named check that failed most often.'),
      }),
    )
    .describe('Exercise slug → how the class does on it.'),
});

export type MatrixCell = z.infer<typeof MatrixCellSchema>;
export type ClassMatrix = z.infer<typeof ClassMatrixSchema>;
export type SignInRequest = z.infer<typeof SignInRequestSchema>;
export type CreateInstructorRequest = z.infer<typeof CreateInstructorRequestSchema>;
export type CreateClassRequest = z.infer<typeof CreateClassRequestSchema>;
export type ClassStartRequest = z.infer<typeof ClassStartRequestSchema>;
export type JoinClassRequest = z.infer<typeof JoinClassRequestSchema>;
export type ProgressDocument = z.infer<typeof ProgressDocumentSchema>;
export type DraftRequest = z.infer<typeof DraftRequestSchema>;
export type Viewer = z.infer<typeof ViewerSchema>;
export type AuthProviders = z.infer<typeof AuthProvidersSchema>;
export type ClassSummary = z.infer<typeof ClassSummarySchema>;
export type CheckSummary = z.infer<typeof CheckSummarySchema>;
export type CheckRecord = z.infer<typeof CheckRecordSchema>;
export type CheckedSubmission = z.infer<typeof CheckedSubmissionSchema>;
