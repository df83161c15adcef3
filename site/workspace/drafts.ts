import type { ExerciseFileData } from '../../sandbox-server/contract/exercise-page.ts';
import type { KeyValueStore } from './session-client.ts';

export type { ExerciseFileData };

/** The storage key of the draft of one file of one exercise. */
export function draftKey(slug: string, path: string): string {
  return `dockyard:draft:${slug}:${path}`;
}

/**
 * The student's drafts of one exercise, one storage entry per editable file. A file with no
 * entry is the starter; read-only files are never stored and always read as the starter.
 */
export class DraftStore {
  readonly slug: string;
  readonly files: readonly ExerciseFileData[];
  private readonly store: KeyValueStore;

  constructor(slug: string, files: readonly ExerciseFileData[], store: KeyValueStore) {
    this.slug = slug;
    this.files = files;
    this.store = store;
  }

  private file(path: string): ExerciseFileData | undefined {
    return this.files.find((f) => f.path === path);
  }

  /** The current text of a file: the saved draft, else the starter. */
  read(path: string): string {
    const file = this.file(path);
    if (!file) return '';
    if (file.readOnly) return file.starter;
    return this.store.getItem(draftKey(this.slug, path)) ?? file.starter;
  }

  /** Saves a file's text; a draft equal to the starter is stored anyway, so "edited back" is kept. */
  write(path: string, text: string): void {
    const file = this.file(path);
    if (!file || file.readOnly) return;
    try {
      this.store.setItem(draftKey(this.slug, path), text);
    } catch {
      // A full storage must not stop the student typing; the text stays in the editor.
    }
  }

  /** Whether a file differs from its starter. */
  changed(path: string): boolean {
    const file = this.file(path);
    return !!file && !file.readOnly && this.read(path) !== file.starter;
  }

  /** Whether any editable file differs from its starter. */
  anyChanged(): boolean {
    return this.files.some((f) => this.changed(f.path));
  }

  /** Every file's current text, path → content (read-only files included, as the starter). */
  all(): Record<string, string> {
    return Object.fromEntries(this.files.map((f) => [f.path, this.read(f.path)]));
  }

  /** The editable files only, as a check or a run submits them. */
  submission(): Record<string, string> {
    return Object.fromEntries(this.files.filter((f) => !f.readOnly).map((f) => [f.path, this.read(f.path)]));
  }

  /** Forgets every draft: each file reads as its starter again. */
  reset(): void {
    for (const f of this.files) this.store.removeItem(draftKey(this.slug, f.path));
  }
}

/**
 * Saves a file's text at most `delayMs` after the last change, and at once on flush() (page
 * hidden, before a check or a run), so nothing typed is lost.
 */
export class DebouncedSaver {
  private readonly pending = new Map<string, string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly drafts: DraftStore;
  private readonly delayMs: number;

  constructor(drafts: DraftStore, delayMs = 250) {
    this.drafts = drafts;
    this.delayMs = delayMs;
  }

  /** Notes a change; it is written within delayMs. */
  change(path: string, text: string): void {
    this.pending.set(path, text);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.delayMs);
  }

  /** Writes every pending change now. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const [path, text] of this.pending) this.drafts.write(path, text);
    this.pending.clear();
  }

  /** Drops pending changes (after a reset). */
  discard(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }
}
