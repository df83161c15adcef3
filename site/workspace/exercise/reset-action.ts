import type { ExerciseContext } from './context.ts';
import type { FilesPanel } from './files-panel.ts';
import type { SolutionPanel } from './solution-panel.ts';

/** Reset, after the student confirms: every editable file back to its starter. */
export function mountReset(ctx: ExerciseContext, files: FilesPanel, solution: SolutionPanel): void {
  const { data, drafts, saver } = ctx;
  const dialog = ctx.find<HTMLDialogElement>('dialog.dy-confirm');
  ctx.find<HTMLButtonElement>('[data-action="reset"]')?.addEventListener('click', () => dialog?.showModal());
  dialog?.addEventListener('close', () => {
    if (dialog.returnValue !== 'reset') return;
    solution.close();
    saver.discard();
    drafts.reset();
    const editor = files.editor();
    for (const f of data.files) if (!f.readOnly) editor?.setText(f.path, f.starter);
    // setText reports the change: store nothing for files now equal to the starter.
    saver.discard();
    drafts.reset();
    files.refresh();
    ctx.announce('Your files are back to the starter.');
    editor?.focus();
  });
}
