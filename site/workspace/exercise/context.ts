import type { ExercisePageData } from '../../../sandbox-server/contract/exercise-page.ts';
import { DebouncedSaver, DraftStore } from '../drafts.ts';
import type { KeyValueStore } from '../session-client.ts';
import { DRAFT_CHANGED_EVENT } from '../sync/page-sync.ts';

/** What every panel of an exercise workspace shares: its data, drafts, storage and a few page helpers. */
export interface ExerciseContext {
  section: HTMLElement;
  data: ExercisePageData;
  store: KeyValueStore;
  drafts: DraftStore;
  saver: DebouncedSaver;
  /** The first element of the workspace matching `selector`. */
  find<T extends HTMLElement>(selector: string): T | null;
  /** Says `text` to screen readers through the workspace's live region. */
  announce(text: string): void;
  /** Marks the workspace busy (Check or Run going): its actions are disabled meanwhile. */
  setBusy(busy: boolean, what?: 'check' | 'run'): void;
}

/** Storage that never throws (private windows and full quotas still let the student type). */
export function safeStorage(): KeyValueStore {
  try {
    const probe = '__dockyard_probe__';
    localStorage.setItem(probe, '1');
    localStorage.removeItem(probe);
    return localStorage;
  } catch {
    const memory = new Map<string, string>();
    return {
      getItem: (k) => memory.get(k) ?? null,
      setItem: (k, v) => void memory.set(k, v),
      removeItem: (k) => void memory.delete(k),
    };
  }
}

/** The exercise the workspace `section` embeds, or undefined when it has none. */
export function readExerciseData(section: HTMLElement): ExercisePageData | undefined {
  const el = section.querySelector<HTMLScriptElement>('script.dy-exercise-data');
  return el?.textContent ? (JSON.parse(el.textContent) as ExercisePageData) : undefined;
}

/** Builds the shared context of the workspace `section` for exercise `data`; pending edits are written when the page is hidden or left. */
export function exerciseContext(section: HTMLElement, data: ExercisePageData): ExerciseContext {
  const store = safeStorage();
  const drafts = new DraftStore(data.slug, data.files, store);
  const saver = new DebouncedSaver(drafts, 250);
  // The page's sync sends a signed-in student's changed drafts to the server.
  drafts.onChange = () => window.dispatchEvent(new Event(DRAFT_CHANGED_EVENT));
  const find = <T extends HTMLElement>(selector: string) => section.querySelector<T>(selector);
  addEventListener('pagehide', () => saver.flush());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') saver.flush();
  });
  const announce = (text: string) => {
    const live = find<HTMLElement>('.dy-exercise__live');
    if (live) live.textContent = text;
  };
  const setBusy = (busy: boolean, what?: 'check' | 'run') => {
    section.toggleAttribute('data-busy', busy);
    for (const b of section.querySelectorAll<HTMLButtonElement>('[data-action="check"], [data-action="run"], [data-action="reset"]')) b.disabled = busy;
    find<HTMLButtonElement>('[data-action="check"]')?.setAttribute('aria-busy', String(busy && what === 'check'));
    if (what) announce(busy ? (what === 'check' ? 'Checking…' : 'Running…') : '');
  };
  return { section, data, store, drafts, saver, find, announce, setBusy };
}
