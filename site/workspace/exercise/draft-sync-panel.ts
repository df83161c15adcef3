import type { DraftDocument } from '../drafts.ts';
import { DRAFT_REPLACED_EVENT } from '../sync/page-sync.ts';
import type { DraftSyncOutcome } from '../sync/exercise-sync.ts';
import type { ExerciseContext } from './context.ts';
import type { FilesPanel } from './files-panel.ts';

/** When a draft was saved, as short as is clear: the time today, else the date and time. */
const when = (draft: DraftDocument) => {
  const t = Date.parse(draft.updatedAt);
  if (!(t > 0)) return 'earlier';
  const date = new Date(t);
  const today = date.toDateString() === new Date().toDateString();
  return today ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : date.toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
};

/**
 * Shows the draft the sync settled on, and the other version it kept: the student may
 * bring that one back (the one on show is kept in its turn) or keep the one on show.
 */
export function mountDraftSync(ctx: ExerciseContext, files: FilesPanel, synced: Promise<DraftSyncOutcome>): void {
  const { drafts, section } = ctx;
  const note = ctx.find<HTMLElement>('.dy-draft-other');
  const text = ctx.find<HTMLElement>('.dy-draft-other__text');
  const render = () => {
    const other = drafts.other();
    const current = drafts.document();
    if (!note || !text) return;
    note.hidden = !other;
    if (other) {
      text.textContent = `Two versions of this draft: this one (${current ? `saved ${when(current)}` : 'the starter'}) and one saved ${when(other)}.`;
    }
  };
  window.addEventListener(DRAFT_REPLACED_EVENT, (event) => {
    if ((event as CustomEvent<string>).detail !== drafts.slug) return;
    files.reload();
    render();
  });
  ctx.find<HTMLButtonElement>('[data-action="draft-other"]')?.addEventListener('click', () => {
    ctx.saver.flush();
    if (!drafts.swapOther()) return;
    files.reload();
    render();
    ctx.announce('The other version of your draft is back; the one it replaced is kept.');
  });
  ctx.find<HTMLButtonElement>('[data-action="draft-keep"]')?.addEventListener('click', () => {
    drafts.dropOther();
    render();
    ctx.announce('Kept the draft on show.');
    files.editor()?.focus();
  });
  render();
  void synced.then((outcome) => {
    section.dataset.draftSync = outcome;
    files.reload();
    render();
  });
}
