import type { ClassMatrix, ClassSummary } from '../../../sandbox-server/contract/classroom.ts';
import { callApi } from './api.ts';
import { el, required, say } from './dom.ts';
import { HistoryView } from './history-view.ts';
import { joinLinkField } from './instructor-page.ts';
import { signedInInstructor } from './instructor-gate.ts';
import { pollLive } from './live-poll.ts';
import { drawExercises, drawMatrix, drawStuck } from './matrix-view.ts';
import { showSignedIn } from './signed-in-view.ts';

/** How often the open class view asks for the matrix. */
export const MATRIX_POLL_MS = 3000;

interface RegradeAnswer {
  exercise: string;
  results: { userId: string; before: { status: string; score: number }; after: { status: string; score: number } | null; skipped?: string }[];
}

/**
 * One class, live: its join link, who is stuck, the roster × exercises matrix (polled), each
 * exercise's pass rate with regrade and gradebook exports, and a student's history on a cell.
 */
export async function mountClassPage(root: HTMLElement, titles: Record<string, string>): Promise<void> {
  const status = required<HTMLElement>('[data-role="status"]', root);
  const who = required<HTMLElement>('[data-role="signed-in"]', root);
  const main = required<HTMLElement>('[data-role="class"]', root);
  const viewer = await signedInInstructor(status);
  if (!viewer) return;
  showSignedIn(who, viewer);
  const id = new URLSearchParams(location.search).get('id') ?? '';
  const base = `/api/classes/${encodeURIComponent(id)}`;
  let summary: ClassSummary;
  try {
    summary = await callApi<ClassSummary>(base);
  } catch (err) {
    say(status, err instanceof Error ? err.message : String(err), 'error');
    return;
  }
  const heading = document.querySelector('h1');
  if (heading) heading.textContent = summary.name;
  document.title = `${summary.name} | Dockyard`;
  main.hidden = false;
  const info = required<HTMLElement>('[data-role="class-info"]', root);
  info.replaceChildren(
    el('p', 'dy-classroom__state', summary.closedAt ? 'This class is closed: its join link is refused.' : 'Students join by this link:'),
    ...(summary.closedAt ? [] : [joinLinkField(summary)]),
  );

  const title = (slug: string) => titles[slug] ?? slug;
  const time = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const live = required<HTMLElement>('[data-role="live"]', root);
  const history = new HistoryView(required<HTMLElement>('[data-role="history"]', root));
  const notice = required<HTMLElement>('[data-role="notice"]', root);
  const download = (slug: string, format: 'csv' | 'junit', label: string) => {
    const a = el('a', 'dy-btn dy-btn--quiet', label);
    a.href = `${base}/gradebook/${encodeURIComponent(slug)}?format=${format}`;
    a.download = format === 'csv' ? `${slug}-gradebook.csv` : `${slug}-junit.xml`;
    a.setAttribute('aria-label', `${label} of ${title(slug)}`);
    return a;
  };
  const names = new Map<string, string>();
  const regrade = async (slug: string, button: HTMLButtonElement) => {
    if (!confirm(`Check every student's latest files of "${title(slug)}" again? Each new verdict is recorded as a Check.`)) return;
    button.disabled = true;
    say(notice, `Regrading ${title(slug)}…`);
    try {
      const answer = await callApi<RegradeAnswer>(`${base}/regrade/${encodeURIComponent(slug)}`, { method: 'POST' });
      const lines = answer.results.map((r) =>
        r.after ? `${names.get(r.userId) ?? 'a student'}: ${r.before.status} ${r.before.score} → ${r.after.status} ${r.after.score}` : `${names.get(r.userId) ?? 'a student'}: ${r.skipped ?? 'not regraded'}`,
      );
      say(notice, `Regraded ${title(slug)} for ${answer.results.length} student${answer.results.length === 1 ? '' : 's'}. ${lines.join('; ')}`, 'ok');
      await poll.now();
    } catch (err) {
      say(notice, err instanceof Error ? err.message : String(err), 'error');
    } finally {
      button.disabled = false;
    }
  };
  const exerciseActions = (slug: string) => {
    const again = el('button', 'dy-btn dy-btn--quiet', 'Regrade');
    again.type = 'button';
    again.setAttribute('aria-label', `Regrade ${title(slug)}`);
    again.addEventListener('click', () => void regrade(slug, again));
    return [again, ' ', download(slug, 'csv', 'Export CSV'), ' ', download(slug, 'junit', 'Export JUnit')];
  };
  const openHistory = (userId: string, name: string, exercise: string) =>
    void history.open({ classId: id, userId, name, exercise, title: title(exercise) }).catch((err: Error) => say(notice, err.message, 'error'));

  let last = '';
  const load = async () => {
    const matrix = await callApi<ClassMatrix>(`${base}/matrix`);
    live.textContent = `Live: updated at ${new Date().toLocaleTimeString()}`;
    live.dataset.tone = 'ok';
    const text = JSON.stringify(matrix);
    if (text === last) return;
    last = text;
    for (const s of matrix.students) names.set(s.userId, s.displayName);
    drawStuck(required<HTMLElement>('[data-role="stuck"]', root), matrix, { title, time });
    drawMatrix(required<HTMLElement>('[data-role="matrix"]', root), matrix, { title, openHistory });
    drawExercises(required<HTMLElement>('[data-role="exercises"]', root), matrix, { title, exerciseActions });
    root.dataset.students = String(matrix.students.length);
    // An open history follows new attempts.
    for (const s of matrix.students) {
      for (const [exercise, cell] of Object.entries(matrix.cells[s.userId] ?? {})) {
        const shown = history.showing(s.userId, exercise);
        if (shown !== undefined && shown !== cell.attempts) void history.open({ classId: id, userId: s.userId, name: s.displayName, exercise, title: title(exercise) }, false);
      }
    }
  };
  const poll = pollLive(load, MATRIX_POLL_MS, (err) => {
    live.textContent = `Not live: ${err instanceof Error ? err.message : String(err)} Retrying.`;
    live.dataset.tone = 'error';
  });
}
