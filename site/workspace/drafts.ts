import type { ExerciseFileData } from '../../sandbox-server/contract/exercise-page.ts';
import type { KeyValueStore } from './session-client.ts';
import type { DraftDocument } from './sync/merge.ts';

export type { ExerciseFileData, DraftDocument };

/** The storage key of the draft of one file of one exercise. */
export function draftKey(slug: string, path: string): string {
  return `dockyard:draft:${slug}:${path}`;
}

/** The storage key of what is known of an exercise's draft as a whole: when it changed, its files, whether the server has it. */
export function draftMetaKey(slug: string): string {
  return `dockyard:draft-meta:${slug}`;
}

/** The storage key of the other version of a draft, kept when a newer one from the server (or this device) replaced it. */
export function otherDraftKey(slug: string): string {
  return `dockyard:draft-other:${slug}`;
}

/** The exercises whose drafts changed here since the server last took them. */
export const PENDING_DRAFTS_KEY = 'dockyard:sync:pending-drafts';

/** What is known of one exercise's draft as a whole. */
export interface DraftMeta {
  updatedAt: string;
  /** The files that have a stored draft. */
  paths: string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function readJson(store: KeyValueStore, key: string): unknown {
  try {
    const raw = store.getItem(key);
    return raw ? (JSON.parse(raw) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

/** Writes, or leaves things as they were when the storage is full or refused. */
function trySet(store: KeyValueStore, key: string, value: string): boolean {
  try {
    store.setItem(key, value);
    return true;
  } catch {
    return false;
  }
}

/** An exercise's draft meta, if a readable one is stored. */
export function draftMeta(store: KeyValueStore, slug: string): DraftMeta | undefined {
  const v = readJson(store, draftMetaKey(slug));
  if (!isRecord(v) || typeof v.updatedAt !== 'string' || !Array.isArray(v.paths)) return undefined;
  return { updatedAt: v.updatedAt, paths: v.paths.filter((p): p is string => typeof p === 'string') };
}

/** The exercises with drafts the server has not taken yet. */
export function pendingDrafts(store: KeyValueStore): string[] {
  const v = readJson(store, PENDING_DRAFTS_KEY);
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
}

function setPending(store: KeyValueStore, slug: string, pending: boolean): void {
  const now = pendingDrafts(store).filter((s) => s !== slug);
  if (pending) now.push(slug);
  trySet(store, PENDING_DRAFTS_KEY, JSON.stringify(now));
}

/**
 * An exercise's draft as this device stores it, read without the exercise's page (its meta
 * lists the files); `alsoPaths` adds files a page knows of, for drafts saved before metas.
 */
export function storedDraft(store: KeyValueStore, slug: string, alsoPaths: readonly string[] = []): DraftDocument | undefined {
  const meta = draftMeta(store, slug);
  const files: Record<string, string> = {};
  for (const path of new Set([...(meta?.paths ?? []), ...alsoPaths])) {
    const text = store.getItem(draftKey(slug, path));
    if (text !== null) files[path] = text;
  }
  if (!meta && Object.keys(files).length === 0) return undefined;
  // A draft older than the time it was saved at is older than anything the server holds.
  return { files, updatedAt: meta?.updatedAt ?? new Date(0).toISOString() };
}

/** Notes that the server now holds the draft that changed at `updatedAt`; a later change stays pending. */
export function markDraftPushed(store: KeyValueStore, slug: string, updatedAt: string): void {
  if (draftMeta(store, slug)?.updatedAt === updatedAt) setPending(store, slug, false);
}

/**
 * Replaces an exercise's stored draft by `draft`, keeping its time: the files it lists are
 * written, every other stored one (in the meta, or in `clearPaths`) goes back to its starter.
 */
export function replaceStoredDraft(store: KeyValueStore, slug: string, draft: DraftDocument, clearPaths: readonly string[] = []): void {
  for (const path of new Set([...(draftMeta(store, slug)?.paths ?? []), ...clearPaths])) {
    if (draft.files[path] === undefined) store.removeItem(draftKey(slug, path));
  }
  for (const [path, text] of Object.entries(draft.files)) trySet(store, draftKey(slug, path), text);
  trySet(store, draftMetaKey(slug), JSON.stringify({ updatedAt: draft.updatedAt, paths: Object.keys(draft.files) }));
}

/** Keeps `draft` as the other version of an exercise's draft, which the student may bring back. */
export function keepOtherDraft(store: KeyValueStore, slug: string, draft: DraftDocument): void {
  trySet(store, otherDraftKey(slug), JSON.stringify(draft));
}

/** Takes an exercise off the pending list (it has no draft to send). */
export function forgetPendingDraft(store: KeyValueStore, slug: string): void {
  setPending(store, slug, false);
}

/** The other version of an exercise's draft, kept after a sync replaced it. */
export function otherDraft(store: KeyValueStore, slug: string): DraftDocument | undefined {
  const v = readJson(store, otherDraftKey(slug));
  if (!isRecord(v) || typeof v.updatedAt !== 'string' || !isRecord(v.files)) return undefined;
  const files = Object.fromEntries(Object.entries(v.files).filter((e): e is [string, string] => typeof e[1] === 'string'));
  return { files, updatedAt: v.updatedAt };
}

/**
 * The student's drafts of one exercise, one storage entry per editable file. A file with no
 * entry is the starter; read-only files are never stored and always read as the starter.
 */
export class DraftStore {
  readonly slug: string;
  readonly files: readonly ExerciseFileData[];
  readonly store: KeyValueStore;
  private readonly now: () => Date;
  /** Told after every change the student makes (not after a sync replaces the draft). */
  onChange: (() => void) | undefined;

  constructor(slug: string, files: readonly ExerciseFileData[], store: KeyValueStore, now: () => Date = () => new Date()) {
    this.slug = slug;
    this.files = files;
    this.store = store;
    this.now = now;
  }

  private editablePaths(): string[] {
    return this.files.filter((f) => !f.readOnly).map((f) => f.path);
  }

  /** Records that the draft changed now, to be sent to the server. */
  private touched(): void {
    const paths = this.editablePaths().filter((p) => this.store.getItem(draftKey(this.slug, p)) !== null);
    trySet(this.store, draftMetaKey(this.slug), JSON.stringify({ updatedAt: this.now().toISOString(), paths }));
    setPending(this.store, this.slug, true);
    this.onChange?.();
  }

  /** The draft as a whole, as the server keeps it; undefined when the student never changed a file. */
  document(): DraftDocument | undefined {
    return storedDraft(this.store, this.slug, this.editablePaths());
  }

  /** Replaces the draft by `draft` (from the server, or the other version brought back), keeping its time. */
  replace(draft: DraftDocument): void {
    replaceStoredDraft(this.store, this.slug, draft, this.editablePaths());
  }

  /** Keeps `draft` as the other version the student may bring back. */
  keepOther(draft: DraftDocument): void {
    keepOtherDraft(this.store, this.slug, draft);
  }

  /** The other version kept after a sync, if any. */
  other(): DraftDocument | undefined {
    return otherDraft(this.store, this.slug);
  }

  /** Forgets the other version (the student chose the one on show). */
  dropOther(): void {
    this.store.removeItem(otherDraftKey(this.slug));
  }

  /**
   * Brings the other version back as the draft, newest from now on (so it wins the next sync),
   * and keeps the one it replaces as the other version in its turn.
   */
  swapOther(): DraftDocument | undefined {
    const other = this.other();
    if (!other) return undefined;
    const current = this.document();
    this.replace({ files: other.files, updatedAt: this.now().toISOString() });
    if (current) this.keepOther(current);
    else this.dropOther();
    this.touched();
    return other;
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
    // A full storage must not stop the student typing; the text stays in the editor.
    if (trySet(this.store, draftKey(this.slug, path), text)) this.touched();
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
    this.touched();
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
