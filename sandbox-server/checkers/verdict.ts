import { z } from 'zod';

/** Why a check run ended in `status: 'error'`. */
export const ErrorKindSchema = z.enum(['syntax', 'runtime', 'timeout', 'memory', 'output_limit', 'internal']);

/** One named check's result (Exercism results v3 test entry). */
export const TestResultSchema = z.object({
  name: z.string(),
  status: z.enum(['pass', 'fail', 'error']),
  message: z.string().optional(),
  output: z.string().max(500).optional(),
  hint: z.string().optional(),
});

/** A checker verdict: an Exercism results v3 subset plus score and resource facts. */
export const VerdictSchema = z.object({
  version: z.literal(3),
  status: z.enum(['pass', 'fail', 'error']),
  message: z.string().optional(),
  tests: z.array(TestResultSchema),
  score: z.number().int().nonnegative(),
  max_score: z.number().int().nonnegative(),
  error_kind: ErrorKindSchema.optional(),
  resources: z.object({
    wall_ms: z.number().nonnegative(),
    exit_code: z.number().int().nullable(),
    oom_killed: z.boolean(),
    output_truncated: z.boolean(),
  }),
});

/** A checker verdict. */
export type Verdict = z.infer<typeof VerdictSchema>;
/** One check's result inside a verdict. */
export type TestResult = z.infer<typeof TestResultSchema>;
/** Why a run ended in error. */
export type ErrorKind = z.infer<typeof ErrorKindSchema>;

/** An error verdict with no checks run: a refused submission (`runtime`) or a checker that failed (`internal`). */
export function errorVerdict(message: string, wallMs: number, kind: 'internal' | 'runtime'): Verdict {
  return VerdictSchema.parse({
    version: 3,
    status: 'error',
    error_kind: kind,
    message,
    tests: [],
    score: 0,
    max_score: 0,
    resources: { wall_ms: wallMs, exit_code: null, oom_killed: false, output_truncated: false },
  });
}
