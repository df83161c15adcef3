import { startPageSync } from '../sync/page-sync.ts';
import { connectProgress, countPassed, type Progress } from './store.ts';

const passedText = (n: number, of: number) => `${n} of ${of} ${of === 1 ? 'exercise' : 'exercises'} passed`;

/** The words for an exercise's state on the overview. */
export function stateText(progress: Progress, slug: string): { state: 'todo' | 'attempted' | 'passed'; text: string } {
  const entry = progress.exercises[slug];
  if (!entry) return { state: 'todo', text: 'Not started' };
  const score = entry.maxScore > 0 ? `, ${entry.score} of ${entry.maxScore} points` : '';
  return entry.status === 'passed'
    ? { state: 'passed', text: `Passed${score}` }
    : { state: 'attempted', text: `Tried, not passed yet${score}` };
}

/** Fills the server-rendered overview in with `progress`: counts, bars, exercise states and where to continue. */
export function renderOverview(root: HTMLElement, progress: Progress): void {
  let passed = 0;
  for (const bar of root.querySelectorAll<HTMLElement>('[data-dy-bar]')) {
    const exercises = (bar.dataset.exercises ?? '').split(' ').filter(Boolean);
    const n = countPassed(progress, exercises);
    passed += n;
    const text = passedText(n, exercises.length);
    bar.setAttribute('aria-valuenow', String(n));
    bar.setAttribute('aria-valuetext', text);
    const fill = bar.querySelector<HTMLElement>('.dy-ov-bar__fill');
    if (fill) fill.style.inlineSize = `${exercises.length ? (100 * n) / exercises.length : 0}%`;
    const count = bar.parentElement?.querySelector<HTMLElement>('[data-dy-count]');
    if (count) count.textContent = text;
  }
  const total = root.querySelector<HTMLElement>('[data-dy-total]');
  if (total) total.textContent = passedText(passed, Number(total.dataset.of ?? 0));

  for (const item of root.querySelectorAll<HTMLElement>('[data-dy-exercise-status]')) {
    const { state, text } = stateText(progress, item.dataset.dyExerciseStatus ?? '');
    item.dataset.state = state;
    const label = item.querySelector<HTMLElement>('[data-dy-state]');
    if (label) label.textContent = text;
  }

  const link = root.querySelector<HTMLAnchorElement>('[data-dy-continue]');
  if (!link) return;
  const last = progress.lastLesson;
  // Only a lesson the course still has: a stale path would lead nowhere.
  const lesson = last
    ? [...root.querySelectorAll<HTMLAnchorElement>('[data-dy-lesson]')].find((a) => a.dataset.dyLesson === last.path)
    : undefined;
  const moduleLabel = lesson?.closest<HTMLElement>('[data-dy-module]')?.dataset.label;
  const [lead, title, module] = lesson && last
    ? ['Continue where you left off', lesson.textContent?.trim() || last.title, moduleLabel ?? '']
    : ['Begin with the first lesson', link.dataset.firstTitle ?? '', link.dataset.firstModule ?? ''];
  link.href = lesson && last ? last.path : (link.dataset.firstHref ?? link.href);
  const set = (selector: string, text: string) => {
    const el = link.querySelector<HTMLElement>(selector);
    if (el && el.textContent !== text) el.textContent = text;
  };
  set('.dy-ov-continue__lead', lead);
  set('.dy-ov-continue__title', title);
  set('.dy-ov-continue__module', module);
}

/** Shows this browser's progress on the overview, and keeps it current (Checks in other tabs included). */
export function mountOverview(root: HTMLElement): void {
  connectProgress((progress) => renderOverview(root, progress));
  void startPageSync();
}
