import type { CheckErrorBody, CheckStatus, Verdict } from '../../sandbox-server/contract/index.ts';

/** The parts of a verdict the panel reads. */
export type VerdictData = Pick<Verdict, 'status' | 'message' | 'tests' | 'score' | 'max_score' | 'error_kind'>;

/** What a check request came back with. */
export type CheckOutcome =
  | { kind: 'verdict'; verdict: VerdictData }
  | { kind: 'http-error'; status: number; code: string; message: string }
  | { kind: 'network'; message: string };

/** One check of the verdict, ready to show. */
export interface CheckItem {
  name: string;
  passed: boolean;
  status: CheckStatus;
  message?: string | undefined;
  hint?: string | undefined;
  output?: string | undefined;
}

/** The verdict panel's content. */
export interface VerdictView {
  tone: CheckStatus;
  headline: string;
  /** "Score: 2 / 3", when a score was given. */
  score?: string | undefined;
  /** The reason in plain words, for error verdicts and failed requests. */
  detail?: string | undefined;
  items: CheckItem[];
  /** Index in items of the first check that did not pass, or -1. */
  firstFailure: number;
  /** The detail of the `dockyard:check` event, for real verdicts only. */
  event?: { status: CheckStatus; score: number; maxScore: number } | undefined;
}

/** A message as a sentence: ends with a full stop unless it already ends with punctuation or with quoted output. */
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?:)]$/.test(trimmed) || trimmed.includes('\n') ? trimmed : `${trimmed}.`;
}

/** Why a check request failed, in words for the student. */
function httpErrorDetail(status: number, code: string, raw: string): string {
  const message = sentence(raw);
  if (code === 'engine_unavailable') return `The sandbox service has no Docker engine, so checks are off. ${message}`;
  if (status === 401 || code === 'session_not_found') return 'Your sandbox has ended or is no longer valid. Reload the page to start a new one, then check again.';
  if (status === 429 || status === 503) return `Dockyard could not check this right now. ${message} Try again in a moment.`;
  return message;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Turns a check's outcome into what the verdict panel shows. */
export function verdictView(outcome: CheckOutcome): VerdictView {
  if (outcome.kind === 'network') {
    return {
      tone: 'error',
      headline: 'The check could not reach the server',
      detail: `${outcome.message} Your files are saved in this browser; try again once the server answers.`,
      items: [],
      firstFailure: -1,
    };
  }
  if (outcome.kind === 'http-error') {
    return {
      tone: 'error',
      headline: 'The check could not run',
      detail: httpErrorDetail(outcome.status, outcome.code, outcome.message),
      items: [],
      firstFailure: -1,
    };
  }
  const v = outcome.verdict;
  const items: CheckItem[] = v.tests.map((t) => ({
    name: t.name,
    passed: t.status === 'pass',
    status: t.status,
    message: t.message,
    hint: t.status === 'pass' ? undefined : t.hint,
    output: t.status === 'pass' ? undefined : t.output,
  }));
  const passed = items.filter((i) => i.passed).length;
  const event = { status: v.status, score: v.score, maxScore: v.max_score };
  const score = v.max_score > 0 ? `Score: ${v.score} / ${v.max_score}` : undefined;
  const firstFailure = items.findIndex((i) => !i.passed);
  if (v.status === 'error') {
    // The server says why in the verdict's message: the panel shows its words, not its own.
    return {
      tone: 'error',
      headline: 'The check stopped with an error',
      detail: v.message ? sentence(v.message) : 'The check stopped before it could reach a verdict.',
      score,
      items,
      firstFailure,
      event,
    };
  }
  if (v.status === 'pass') {
    return { tone: 'pass', headline: `All ${plural(items.length, 'check')} pass: well done!`, score, items, firstFailure: -1, event };
  }
  return {
    tone: 'fail',
    headline: `${passed} of ${plural(items.length, 'check')} pass`,
    detail: v.message,
    score,
    items,
    firstFailure,
    event,
  };
}

/** Reads a check answer: a verdict (200), an error body with or without a verdict, or something else. */
export async function checkOutcomeOf(res: Response): Promise<CheckOutcome> {
  const body = (await res.json().catch(() => undefined)) as VerdictData | Partial<CheckErrorBody> | undefined;
  if (res.ok && body && 'tests' in body && Array.isArray(body.tests)) return { kind: 'verdict', verdict: body };
  const error: Partial<CheckErrorBody['error']> = (body && 'error' in body && body.error) || {};
  return {
    kind: 'http-error',
    status: res.status,
    code: error.code ?? `http_${res.status}`,
    message: error.message ?? `The server answered HTTP ${res.status}.`,
  };
}
