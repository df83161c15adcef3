import { startPageSync } from '../sync/page-sync.ts';
import { connectProgress, recordChecks, type Progress } from './store.ts';

/** Shows which lessons' exercises are passed: an attribute the sidebar's CSS draws, and the word "done" for screen readers. */
export function applyMarks(root: ParentNode, progress: Progress): void {
  for (const link of root.querySelectorAll<HTMLAnchorElement>('a[data-dy-exercise]')) {
    const done = progress.exercises[link.dataset.dyExercise ?? '']?.status === 'passed';
    link.toggleAttribute('data-dy-done', done);
    let text = link.querySelector<HTMLElement>('.dy-done-text');
    if (done && !text) {
      text = document.createElement('span');
      text.className = 'dy-done-text';
      // The space keeps the words apart for screen readers, whatever the styles.
      text.textContent = ' done';
      link.append(text);
    } else if (!done && text) {
      text.remove();
    }
  }
}

/** The lesson this page is, as the sidebar component wrote it into the page. */
function currentLesson(doc: Document): { path: string; title: string; module: string } | undefined {
  const raw = doc.getElementById('dy-lesson-visit')?.textContent;
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as { path?: unknown; title?: unknown; module?: unknown };
    if (typeof value.path === 'string' && typeof value.title === 'string' && typeof value.module === 'string') {
      return { path: value.path, title: value.title, module: value.module };
    }
  } catch {
    // A page without a readable lesson is simply not recorded.
  }
  return undefined;
}

/** Marks the sidebar now and on every change, records this lesson's visit and the Checks made here. */
export function markSidebar(doc: Document): void {
  const store = connectProgress((progress) => applyMarks(doc, progress));
  recordChecks(store);
  const lesson = currentLesson(doc);
  if (lesson) store.recordVisit(lesson);
  // A signed-in student's progress and drafts follow them to their other devices.
  void startPageSync();
}
