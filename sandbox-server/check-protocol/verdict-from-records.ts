import type { ErrorKind, TestResult, Verdict } from '../contract/verdict.ts';
import { VerdictSchema } from '../contract/verdict.ts';
import { parseRecord, type HarnessRecord } from './records.ts';

/** Facts about the run that the records alone do not tell. */
export interface RunFacts {
  stop: 'exited' | 'end-record' | 'timeout' | 'output_limit';
  exitCode: number | null;
  wallMs: number;
  oomKilled: boolean;
  strayTail?: string;
}

const MESSAGES: Record<ErrorKind, string> = {
  syntax: 'The code has a syntax error.',
  runtime: 'The program stopped before the checks finished.',
  timeout: 'The checks did not finish within the time limit (endless loop, or a stopped process?).',
  memory: 'The program ran out of memory.',
  output_limit: 'The program printed too much output; the run was stopped.',
  internal: 'The checker failed; this is not your fault. Please try again.',
};

/** Builds the verdict from the harness's record lines (see HarnessRecordSchema) and how the run ended. */
export function verdictFromRecords(lines: string[], facts: RunFacts): Verdict {
  const tests: TestResult[] = [];
  let plan: string[] | undefined;
  let error: { kind: ErrorKind; message?: string | undefined; output?: string | undefined } | undefined;
  let ended = false;
  const phases = new Map<string, number>();
  for (const line of lines) {
    const rec = parseRecord(line);
    if (rec?.type === 'phase') phases.set(rec.name, (phases.get(rec.name) ?? 0) + rec.ms);
    else if (rec?.type === 'plan') plan = rec.names;
    else if (rec?.type === 'test') tests.push(testFrom(rec));
    else if (rec?.type === 'error' && !error) error = { kind: rec.kind, message: str(rec.message), output: str(rec.output) };
    else if (rec?.type === 'end') ended = true;
  }
  const score = tests.filter((t) => t.status === 'pass').length;
  const maxScore = plan?.length ?? tests.length;
  const resources = {
    wall_ms: facts.wallMs,
    exit_code: facts.exitCode,
    oom_killed: facts.oomKilled,
    output_truncated: facts.stop === 'output_limit',
    ...(phases.size ? { phases_ms: Object.fromEntries(phases) } : {}),
  };
  const base = { version: 3 as const, tests, score, max_score: maxScore, resources };
  let kind: ErrorKind | undefined = error?.kind;
  // The host's view wins over what the harness could still say.
  if (facts.stop === 'output_limit') kind = 'output_limit';
  else if (facts.oomKilled) kind = 'memory';
  else if (facts.stop === 'timeout') kind = 'timeout';
  else if (!kind && !ended) kind = facts.exitCode === 137 ? 'memory' : tests.length > 0 || plan ? 'runtime' : 'internal';
  if (kind) {
    const detail = kind === error?.kind ? error?.message : undefined;
    let message = detail ?? MESSAGES[kind];
    if (detail && error?.output) message += `\nOutput before the error:\n${error.output}`;
    if (kind === 'runtime' && !detail && facts.exitCode !== null) message += ` (exit code ${facts.exitCode})`;
    return VerdictSchema.parse({ ...base, status: 'error', error_kind: kind, message });
  }
  const status = score === maxScore && maxScore > 0 ? 'pass' : 'fail';
  const message = maxScore === 0 ? 'The check program defines no checks.' : `${score} of ${maxScore} checks passed.`;
  return VerdictSchema.parse({ ...base, status, message });
}

function testFrom(rec: Extract<HarnessRecord, { type: 'test' }>): TestResult {
  const t: TestResult = { name: rec.name, status: rec.status };
  const message = str(rec.message);
  const hint = str(rec.hint);
  const output = str(rec.output);
  if (message) t.message = message;
  if (hint) t.hint = hint;
  if (output) t.output = output.slice(0, 500);
  return t;
}

function str(v: string | null | undefined): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}
