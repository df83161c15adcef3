import { signedInStudent } from '../account/viewer.ts';
import { forgetPendingDraft, keepOtherDraft, markDraftPushed, pendingDrafts, replaceStoredDraft, storedDraft } from '../drafts.ts';
import { createProgressStore, PROGRESS_EVENT } from '../progress/store.ts';
import type { KeyValueStore } from '../session-client.ts';
import { mergeProgress, progressDocument, resolveDrafts, sameSynced } from './merge.ts';
import { claimStores, releaseStores } from './owner.ts';
import { pushDraft, pushProgress } from './server-copy.ts';

/** Fired on `window` by a draft store after the student changed a draft. */
export const DRAFT_CHANGED_EVENT = 'dockyard:draft-changed';
/** Fired on `window` when a sync replaced a stored draft (detail: the exercise slug), so an open editor shows it. */
export const DRAFT_REPLACED_EVENT = 'dockyard:draft-replaced';

/** How long after the last change a push waits, so typing sends one request, not one per key. */
const PUSH_DELAY_MS = 1500;

/** What `<html data-dy-sync>` says: only this browser (signed out), syncing, merged with the server, or waiting to. */
export type SyncState = 'local' | 'syncing' | 'synced' | 'offline';

const setState = (state: SyncState) => {
  document.documentElement.dataset.dySync = state;
};

/** Pushes each pending draft; a later one the server holds replaces this device's, which is kept as the other version. */
export async function pushPendingDrafts(store: KeyValueStore): Promise<void> {
  for (const slug of pendingDrafts(store)) {
    const local = storedDraft(store, slug);
    if (!local) {
      forgetPendingDraft(store, slug);
      continue;
    }
    const kept = await pushDraft(slug, local);
    const { use, fromServer, other } = resolveDrafts(local, kept);
    if (fromServer && use) {
      replaceStoredDraft(store, slug, use);
      if (other) keepOtherDraft(store, slug, other);
      window.dispatchEvent(new CustomEvent(DRAFT_REPLACED_EVENT, { detail: slug }));
    }
    markDraftPushed(store, slug, (fromServer ? use : local)!.updatedAt);
  }
}

let started = false;
/** Syncs now and says whether the server then has everything (set while a signed-in student's page syncs). */
let syncNow: (() => Promise<boolean>) | undefined;

/**
 * Keeps a signed-in student's progress and drafts in step with the server: at once, after
 * each change (debounced), when the browser is back online and when the page is hidden.
 * This browser's copy stays the first one: a failed push changes nothing here and is retried.
 * For anyone else it does nothing (and says `local`).
 */
export async function startPageSync(): Promise<void> {
  if (started) return;
  started = true;
  const student = await signedInStudent();
  if (!student) return setState('local');
  let storage: Storage;
  try {
    storage = window.localStorage;
  } catch {
    // Storage disabled: nothing is kept here to sync.
    return setState('local');
  }
  // Another student's work in this browser is put aside first, never sent to this account.
  if (claimStores(storage, student.id) === 'blocked') return setState('local');
  const progress = createProgressStore(storage, {
    onChange: (next) => window.dispatchEvent(new CustomEvent(PROGRESS_EVENT, { detail: next })),
  });

  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let applying = false;

  const syncProgress = async () => {
    const mine = progress.read();
    const merged = mergeProgress(mine, await pushProgress(progressDocument(mine)));
    if (sameSynced(mine, merged)) return;
    applying = true;
    // Whatever changed here meanwhile is merged again, never overwritten.
    progress.update((now) => mergeProgress(now, progressDocument(merged)));
    applying = false;
  };
  /** Whether the last sync reached the server with both progress and drafts. */
  let lastSynced = false;
  const sync = async () => {
    setState('syncing');
    // Each goes on its own: a refused progress document never holds the drafts back.
    const [a, b] = await Promise.allSettled([syncProgress(), pushPendingDrafts(storage)]);
    lastSynced = a.status === 'fulfilled' && b.status === 'fulfilled';
    setState(lastSynced ? 'synced' : 'offline');
  };
  const run = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = sync().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        void run();
      }
    });
    return running;
  };
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void run(), PUSH_DELAY_MS);
  };

  window.addEventListener(PROGRESS_EVENT, () => {
    if (!applying) soon();
  });
  window.addEventListener(DRAFT_CHANGED_EVENT, soon);
  window.addEventListener('online', () => void run());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden' && timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
      void run();
    }
  });
  syncNow = async () => {
    await run();
    return lastSynced && pendingDrafts(storage).length === 0;
  };
  await run();
}

/**
 * Before the Sign out button signs the browser out: gives the server what it does not have yet,
 * then leaves nothing of the student in this browser, or, if the server could not take it all,
 * puts it aside for their next sign-in here (a shared computer shows the next student none of it).
 */
export async function handOverBeforeSignOut(): Promise<void> {
  let storage: Storage;
  try {
    storage = window.localStorage;
  } catch {
    return;
  }
  const saved = syncNow ? await syncNow().catch(() => false) : pendingDrafts(storage).length === 0;
  releaseStores(storage, saved);
}
