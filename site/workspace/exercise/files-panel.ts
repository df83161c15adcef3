import type { WorkspaceEditor } from '../editor/monaco.ts';
import type { ExerciseContext } from './context.ts';

/** The files panel: the tabs, and the editor once it has loaded (the plain-text view until then). */
export interface FilesPanel {
  /** The editor, once loaded. */
  editor(): WorkspaceEditor | undefined;
  /** The path of the file on show. */
  current(): string | undefined;
  /** Shows the file `path`, moving the focus to its tab when `focus`. */
  select(path: string, focus: boolean): void;
  /** Redraws the tabs' "changed" marks and the plain-text view from the drafts. */
  refresh(): void;
  /** Shows the stored drafts again after they were replaced (a sync, or the other version brought back). */
  reload(): void;
}

/** Brings the file tabs to life (arrow keys, Home, End) and loads Monaco into the box the page reserved. */
export async function mountFilesPanel(ctx: ExerciseContext): Promise<FilesPanel> {
  const { section, data, drafts, saver, find } = ctx;
  const tabs = [...section.querySelectorAll<HTMLButtonElement>('[role="tab"][data-path]')];
  const panel = find<HTMLElement>('.dy-editor__panel');
  let staticView = find<HTMLElement>('.dy-editor__static');
  let editor: WorkspaceEditor | undefined;
  let current = data.files[0]?.path;

  const refresh = () => {
    for (const tab of tabs) tab.classList.toggle('dy-tab--changed', drafts.changed(tab.dataset.path!));
    if (!editor && staticView && current) staticView.textContent = drafts.read(current);
  };
  const select = (path: string, focus: boolean) => {
    current = path;
    for (const tab of tabs) {
      const selected = tab.dataset.path === path;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      if (selected) {
        panel?.setAttribute('aria-labelledby', tab.id);
        if (focus) tab.focus();
      }
    }
    editor?.open(path);
    refresh();
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => select(tab.dataset.path!, false));
    tab.addEventListener('keydown', (e) => {
      const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
      let next = -1;
      if (step) next = (i + step + tabs.length) % tabs.length;
      else if (e.key === 'Home') next = 0;
      else if (e.key === 'End') next = tabs.length - 1;
      if (next < 0) return;
      e.preventDefault();
      select(tabs[next]!.dataset.path!, true);
    });
  });
  refresh();

  if (data.files.length > 0 && panel) {
    const host = find<HTMLElement>('.dy-editor__monaco')!;
    const diffHost = find<HTMLElement>('.dy-diff__host')!;
    try {
      const { createWorkspaceEditor } = await import('../editor/monaco.ts');
      editor = createWorkspaceEditor(
        host,
        diffHost,
        data.files.map((f) => ({ path: f.path, language: f.language, readOnly: f.readOnly, text: drafts.read(f.path) })),
        (path, text) => {
          saver.change(path, text);
          const tab = tabs.find((t) => t.dataset.path === path);
          tab?.classList.toggle('dy-tab--changed', text !== data.files.find((f) => f.path === path)?.starter);
        },
        (path) => `Editor: ${path}${data.files.find((f) => f.path === path)?.readOnly ? ' (read-only)' : ''}`,
      );
      host.hidden = false;
      staticView?.remove();
      staticView = null;
      section.dataset.editor = 'ready';
      if (current) editor.open(current);
    } catch (err) {
      console.error('[dockyard] the editor did not load:', err);
      section.dataset.editor = 'failed';
      if (staticView) staticView.dataset.failed = 'true';
      ctx.announce('The editor could not load; reload the page to try again. Your drafts are kept.');
    }
  }
  const reload = () => {
    // What was typed a moment ago is stored first, so it is compared, never overwritten.
    saver.flush();
    for (const f of data.files) {
      const text = drafts.read(f.path);
      if (!f.readOnly && editor && editor.text(f.path) !== text) editor.setText(f.path, text);
    }
    // setText reports each change as typing: the drafts already hold the text.
    saver.discard();
    refresh();
  };
  return { editor: () => editor, current: () => current, select, refresh, reload };
}
