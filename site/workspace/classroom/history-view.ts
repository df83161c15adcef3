import type { CheckRecord, CheckSummary } from '../../../sandbox-server/contract/classroom.ts';
import { verdictView } from '../verdict-view.ts';
import type { CompareView } from '../editor/compare-view.ts';
import { callApi } from './api.ts';
import { attemptsOf, changedFiles, languageOfPath } from './attempt-diff.ts';
import { el } from './dom.ts';

/** Which history is open: one student's attempts at one exercise. */
export interface HistoryTarget {
  classId: string;
  userId: string;
  name: string;
  exercise: string;
  title: string;
}

const statusWord = (status: string) => (status === 'pass' ? 'Pass' : status === 'fail' ? 'Fail' : 'Error');

/** The verdict of one attempt: the headline, then each check with its mark and message. */
function verdictBlock(record: CheckRecord): HTMLElement {
  const view = verdictView({ kind: 'verdict', verdict: record.verdict });
  const block = el('div', 'dy-verdict dy-history__verdict', el('p', 'dy-verdict__title', view.headline));
  block.dataset.tone = view.tone;
  if (view.detail) block.append(el('p', 'dy-verdict__detail', view.detail));
  const list = el('ul', 'dy-verdict__list');
  for (const item of view.items) {
    const li = el('li', 'dy-check', el('p', 'dy-check__name', el('span', 'dy-check__mark', item.passed ? '✓ Pass' : item.status === 'error' ? '! Error' : '✗ Fail'), ` ${item.name}`));
    li.dataset.status = item.status;
    if (item.message) li.append(el('p', 'dy-check__message', item.message));
    list.append(li);
  }
  block.append(list);
  return block;
}

/**
 * A student's submission history on one exercise: every attempt with its verdict, and a diff
 * of each attempt's files against the one before (in the Solution view's diff editor).
 */
export class HistoryView {
  private readonly host: HTMLElement;
  private target: HistoryTarget | undefined;
  private shown = 0;
  private compare: CompareView | undefined;
  private readonly records = new Map<string, Promise<CheckRecord>>();

  constructor(host: HTMLElement) {
    this.host = host;
  }

  /** Whether this history is open, and how many attempts it shows. */
  showing(userId: string, exercise: string): number | undefined {
    return this.target?.userId === userId && this.target.exercise === exercise ? this.shown : undefined;
  }

  /** Opens (or redraws) the history of `target`. */
  async open(target: HistoryTarget, focus = true): Promise<void> {
    this.target = target;
    const checks = await callApi<CheckSummary[]>(`/api/classes/${encodeURIComponent(target.classId)}/checks`);
    if (this.target !== target) return;
    const attempts = attemptsOf(checks, target.userId, target.exercise);
    this.shown = attempts.length;
    const heading = el('h2', '', `${target.name}'s attempts at ${target.title}`);
    heading.tabIndex = -1;
    const close = el('button', 'dy-btn dy-btn--quiet', 'Close the history');
    close.type = 'button';
    close.addEventListener('click', () => this.close());
    const list = el('ol', 'dy-history');
    const detail = el('div', 'dy-history__detail');
    for (const attempt of [...attempts].reverse()) {
      const show = el('button', 'dy-btn dy-btn--quiet', 'Show');
      show.type = 'button';
      show.setAttribute('aria-label', `Show attempt ${attempt.number}`);
      show.addEventListener('click', () => void this.showAttempt(detail, attempts, attempt.number - 1));
      const when = new Date(attempt.checkedAt).toLocaleTimeString();
      const li = el('li', 'dy-history__attempt', el('span', '', `Attempt ${attempt.number} · ${when} · `), el('strong', '', statusWord(attempt.status)), el('span', '', ` · ${attempt.score}/${attempt.maxScore} `), show);
      li.dataset.status = attempt.status;
      list.append(li);
    }
    this.host.replaceChildren(el('div', 'dy-history__head', heading, close), list, detail);
    this.host.hidden = false;
    if (focus) heading.focus();
    if (attempts.length > 0) await this.showAttempt(detail, attempts, attempts.length - 1);
  }

  /** Closes the history. */
  close(): void {
    this.compare?.dispose();
    this.compare = undefined;
    this.target = undefined;
    this.host.hidden = true;
    this.host.replaceChildren();
  }

  private record(classId: string, id: string): Promise<CheckRecord> {
    let found = this.records.get(id);
    if (!found) {
      found = callApi<CheckRecord>(`/api/classes/${encodeURIComponent(classId)}/checks/${encodeURIComponent(id)}`);
      this.records.set(id, found);
      found.catch(() => this.records.delete(id));
    }
    return found;
  }

  /** Shows attempt `index`: its verdict, and what changed since the attempt before. */
  private async showAttempt(detail: HTMLElement, attempts: readonly CheckSummary[], index: number): Promise<void> {
    const target = this.target;
    const attempt = attempts[index];
    if (!target || !attempt) return;
    const previous = attempts[index - 1];
    const [record, before] = await Promise.all([this.record(target.classId, attempt.id), previous ? this.record(target.classId, previous.id) : undefined]);
    this.compare?.dispose();
    this.compare = undefined;
    const title = el('h3', '', `Attempt ${index + 1}`);
    const parts: Node[] = [title, verdictBlock(record)];
    if (record.submission.kind === 'terminal') {
      parts.push(el('p', '', 'Checked live in the student\'s terminal sandbox: there are no files to compare.'));
    } else if (!before || before.submission.kind !== 'files') {
      parts.push(el('p', '', index === 0 ? 'The first attempt: nothing before it to compare with.' : 'The attempt before was a terminal check: no files to compare.'));
    } else {
      parts.push(this.diffBlock(before.submission.files, record.submission.files, index));
    }
    detail.replaceChildren(...parts);
    detail.dataset.attempt = String(index + 1);
  }

  /** The files of two attempts: which changed, and a diff of the one chosen. */
  private diffBlock(before: Record<string, string>, after: Record<string, string>, index: number): HTMLElement {
    const changes = changedFiles(before, after);
    const host = el('div', 'dy-history__diff');
    const label = el('p', 'dy-history__diff-title');
    const tabs = el('div', 'dy-history__files');
    tabs.setAttribute('role', 'group');
    tabs.setAttribute('aria-label', 'Files compared');
    const pick = async (path: string) => {
      for (const b of tabs.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset.path === path));
      label.textContent = `${path}: attempt ${index} (left) and attempt ${index + 1} (right)`;
      const { createCompareView } = await import('../editor/compare-view.ts');
      this.compare ??= createCompareView(host);
      this.compare.show(path, before[path] ?? '', after[path] ?? '', languageOfPath(path), `${path}, attempt ${index} beside attempt ${index + 1}`);
      host.dataset.ready = 'true';
    };
    for (const change of changes) {
      const b = el('button', 'dy-btn dy-btn--quiet', `${change.path} (${change.change === 'same' ? 'unchanged' : change.change})`);
      b.type = 'button';
      b.dataset.path = change.path;
      b.addEventListener('click', () => void pick(change.path));
      tabs.append(b);
    }
    const first = changes[0];
    if (first) void pick(first.path);
    return el('div', 'dy-history__compare', el('h4', '', `Changes since attempt ${index}`), tabs, label, host);
  }
}
