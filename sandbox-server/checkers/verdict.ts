import { VerdictSchema, type Verdict } from '../contract/verdict.ts';

export { ErrorKindSchema, TestResultSchema, VerdictSchema, type ErrorKind, type TestResult, type Verdict } from '../contract/verdict.ts';

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
