import { z } from 'zod';

/** Why a check run ended in `status: 'error'`. */
export const ErrorKindSchema = z
  .enum(['syntax', 'runtime', 'timeout', 'memory', 'output_limit', 'internal'])
  .describe('Why a check ended in error: the code did not parse, stopped, ran out of time, memory or output, or the checker failed.');

/** A check's or a verdict's outcome. */
export const CheckStatusSchema = z.enum(['pass', 'fail', 'error']).describe('pass, fail, or error (the check could not decide).');

/** One named check's result (Exercism results v3 test entry). */
export const TestResultSchema = z.object({
  name: z.string().describe('The check, in words the student reads.'),
  status: CheckStatusSchema,
  message: z.string().optional().describe('What the check found, in plain words.'),
  output: z.string().max(500).optional().describe("The end of the program's output for this check."),
  hint: z.string().optional().describe('What to try when the check does not pass.'),
});

/** A checker verdict: an Exercism results v3 subset plus score and resource facts. */
export const VerdictSchema = z.object({
  version: z.literal(3).describe('The results document version (Exercism v3).'),
  status: CheckStatusSchema,
  message: z.string().optional().describe('For an error verdict, why no verdict could be reached, in words for the student.'),
  tests: z.array(TestResultSchema).describe('Every check, in the order it ran.'),
  score: z.number().int().nonnegative().describe('Points earned.'),
  max_score: z.number().int().nonnegative().describe('Points available.'),
  error_kind: ErrorKindSchema.optional(),
  resources: z
    .object({
      wall_ms: z.number().nonnegative().describe('How long the check took.'),
      exit_code: z.number().int().nullable().describe("The checked program's exit code, when it exited."),
      oom_killed: z.boolean().describe('Whether the program was stopped for using too much memory.'),
      output_truncated: z.boolean().describe('Whether its output went over the limit and was cut.'),
      phases_ms: z
        .record(z.string(), z.number().nonnegative())
        .optional()
        .describe('Where the time of a dockerfile or compose check went, in milliseconds: the sandbox claim, the check program, and inside it build, run, compose up, wait for http, …'),
    })
    .describe('What the check run used.'),
});

/** A checker verdict. */
export type Verdict = z.infer<typeof VerdictSchema>;
/** One check's result inside a verdict. */
export type TestResult = z.infer<typeof TestResultSchema>;
/** Why a run ended in error. */
export type ErrorKind = z.infer<typeof ErrorKindSchema>;
/** A check's or verdict's outcome. */
export type CheckStatus = z.infer<typeof CheckStatusSchema>;

/** The body of POST /api/exercises/:slug/check: submitted files, or a live session to inspect. */
export const CheckRequestSchema = z.union([
  z.object({ files: z.record(z.string(), z.string()).describe('The submission: file path → content.') }).strict(),
  z
    .object({ sessionId: z.string().describe("A live docker session whose state a terminal exercise checks (with the session's bearer token).") })
    .strict(),
]);
/** The body of a check request. */
export type CheckRequest = z.infer<typeof CheckRequestSchema>;
