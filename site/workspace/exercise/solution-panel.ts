import type { ExerciseContext } from './context.ts';
import type { FilesPanel } from './files-panel.ts';

/** The Solution view: a diff of the draft against the reference, leaving the draft alone. */
export interface SolutionPanel {
  /** Closes the diff, if open, and gives the focus back to the Solution button. */
  close(): void;
}

/** Brings Solution, "Back to editing" and Escape to life. */
export function mountSolutionPanel(ctx: ExerciseContext, files: FilesPanel): SolutionPanel {
  const { data, saver } = ctx;
  const button = ctx.find<HTMLButtonElement>('[data-action="solution"]');
  const view = ctx.find<HTMLElement>('.dy-editor__diff');
  const title = ctx.find<HTMLElement>('.dy-diff__title');
  const close = () => {
    if (!view || view.hidden) return;
    files.editor()?.closeDiff();
    view.hidden = true;
    button?.setAttribute('aria-pressed', 'false');
    button?.focus();
  };
  button?.addEventListener('click', () => {
    const editor = files.editor();
    if (!editor || !view) return;
    if (!view.hidden) return close();
    const file = data.files.find((f) => f.path === files.current() && !f.readOnly) ?? data.files.find((f) => !f.readOnly);
    if (!file) return;
    files.select(file.path, false);
    saver.flush();
    view.hidden = false;
    if (title) title.textContent = `${file.path}: your draft compared with the reference solution (red: only in your draft; green: only in the solution)`;
    editor.showDiff(file.path, data.solution[file.path] ?? '');
    button.setAttribute('aria-pressed', 'true');
    ctx.find<HTMLButtonElement>('[data-action="close-diff"]')?.focus();
  });
  ctx.find<HTMLButtonElement>('[data-action="close-diff"]')?.addEventListener('click', close);
  view?.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') close();
  });
  return { close };
}
