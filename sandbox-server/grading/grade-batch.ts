import { validateFiles } from '../checkers/validate-files.ts';
import { errorVerdict, type Verdict } from '../checkers/verdict.ts';
import { UnsupportedKindError } from '../checkers/errors.ts';
import { createLimiter, type Limiter } from './limiter.ts';

/** One student's submission: its files, or why they could not be read. */
export type Submission = { student: string; files: Record<string, string> } | { student: string; problem: string };

/** One student's outcome. `graded: false` means the checker itself failed twice: not a grade. */
export interface GradeResult {
  student: string;
  verdict: Verdict;
  graded: boolean;
  /** ISO time the verdict was reached; null when not graded. */
  graded_at: string | null;
  attempts: number;
  /** Real time spent on this student, retries included. */
  ms: number;
}

/** Checks one submission's files and returns a verdict (may throw; throws are infrastructure failures). */
export type CheckFn = (files: Record<string, string>) => Promise<Verdict>;

/** How a batch runs. */
export interface BatchOptions {
  /** Parallel checks; ignored when `limiter` is given. */
  concurrency?: number;
  /** A shared limiter, so concurrent batches together stay under one cap. */
  limiter?: Limiter;
  onResult?: (result: GradeResult, done: number, total: number) => void;
  onRetry?: (student: string, message: string) => void;
  now?: () => Date;
}

/** An error verdict for a submission refused before any container ran. */
export function rejectedVerdict(problem: string): Verdict {
  return errorVerdict(`Submission rejected: ${problem}`, 0, 'runtime');
}

/** Code-point order, independent of locale: the stable order submissions are graded and reported in. */
export function byStudent(a: { student: string }, b: { student: string }): number {
  return a.student < b.student ? -1 : a.student > b.student ? 1 : 0;
}

/**
 * Grades every submission with at most N checks at once. A broken submission gets its own error
 * verdict; an internal failure is retried once and, if it fails again, is returned with
 * `graded: false`. Results come back sorted by student whatever order checks finish in.
 * Throws UnsupportedKindError (after running checks settle) when the exercise cannot be checked.
 */
export async function gradeBatch(submissions: readonly Submission[], check: CheckFn, opts: BatchOptions = {}): Promise<GradeResult[]> {
  const sorted = [...submissions].sort(byStudent);
  const seen = new Set<string>();
  for (const s of sorted) {
    if (seen.has(s.student)) throw new Error(`student ${JSON.stringify(s.student)} appears twice`);
    seen.add(s.student);
  }
  const limit = opts.limiter ?? createLimiter(opts.concurrency ?? 1);
  const now = opts.now ?? (() => new Date());
  let aborted: unknown;
  let done = 0;

  const gradeOne = async (s: Submission): Promise<GradeResult | undefined> => {
    if (aborted) return undefined;
    const started = Date.now();
    const finish = (verdict: Verdict, graded: boolean, attempts: number): GradeResult => {
      const result = { student: s.student, verdict, graded, graded_at: graded ? now().toISOString() : null, attempts, ms: Date.now() - started };
      opts.onResult?.(result, ++done, sorted.length);
      return result;
    };
    if ('problem' in s) return finish(rejectedVerdict(s.problem), true, 0);
    const valid = validateFiles(s.files);
    if (!valid.ok) return finish(rejectedVerdict(valid.error), true, 0);
    let verdict: Verdict | undefined;
    for (let attempt = 1; attempt <= 2; attempt++) {
      try {
        verdict = await check(s.files);
      } catch (err) {
        if (err instanceof UnsupportedKindError) {
          aborted ??= err;
          return undefined;
        }
        verdict = errorVerdict(`The checker failed: ${(err as Error)?.message ?? String(err)}`, 0, 'internal');
      }
      if (verdict.error_kind !== 'internal') return finish(verdict, true, attempt);
      if (attempt === 1) opts.onRetry?.(s.student, verdict.message ?? 'internal error');
    }
    return finish(verdict!, false, 2);
  };

  const results = await Promise.all(sorted.map((s) => limit(() => gradeOne(s))));
  if (aborted) throw aborted;
  return results.filter((r): r is GradeResult => r !== undefined);
}

/** A progress line such as `[12/50] alice: pass 2/2 (0.6 s)`. */
export function progressLine(result: GradeResult, done: number, total: number, maxScore = 0): string {
  const v = result.verdict;
  const secs = `(${(result.ms / 1000).toFixed(1)} s)`;
  const head = `[${done}/${total}] ${result.student}:`;
  if (!result.graded) return `${head} NOT GRADED, the checker failed twice: ${v.message ?? 'internal error'} ${secs}`;
  const kind = v.status === 'error' && v.error_kind ? ` (${v.error_kind})` : '';
  const why = v.status === 'error' && v.message ? ` ${v.message}` : '';
  return `${head} ${v.status}${kind} ${v.score}/${Math.max(v.max_score, maxScore)}${why} ${secs}`;
}
