/**
 * Whose work this browser holds. A signed-out student's work belongs to whoever signs in next
 * (they did it before signing in); once a student signed in here, it is theirs. A computer shared
 * by a class must never hand one student's progress and drafts to the next, so:
 * - a different student signing in finds this browser's work of the previous one put aside
 *   (kept here, not merged into their account), and their own put back if they left some;
 * - signing out leaves nothing of the student behind once the server has all of it, and puts
 *   aside only what it could not take yet, to be given back when they sign in here again.
 */

import type { ListableStore } from '../session-client.ts';

/** The student whose work the browser's stores hold; absent while it is nobody's (signed out, never signed in). */
export const OWNER_KEY = 'dockyard:sync:owner';
const STASH_PREFIX = 'dockyard:stash:';

/** A student's keys: progress, drafts, revealed hints, sandbox sessions; not the layout, which belongs to the device. */
const isStudentKey = (key: string) =>
  key.startsWith('dockyard:') && !key.startsWith('dockyard:layout:') && key !== OWNER_KEY && !key.startsWith(STASH_PREFIX);

function studentKeys(store: ListableStore): string[] {
  const keys: string[] = [];
  for (let i = 0; i < store.length; i++) {
    const key = store.key(i);
    if (key !== null && isStudentKey(key)) keys.push(key);
  }
  return keys;
}

/**
 * Moves the stores' student keys aside under `owner`, or drops them; the stores are then empty of
 * any student. False when the storage is too full to put them aside: then nothing moved.
 */
function clearStudent(store: ListableStore, owner: string, putAside: boolean): boolean {
  const keys = studentKeys(store);
  if (putAside && keys.length > 0) {
    const saved = Object.fromEntries(keys.map((k) => [k, store.getItem(k)]));
    try {
      store.setItem(STASH_PREFIX + owner, JSON.stringify(saved));
    } catch {
      return false;
    }
  }
  for (const key of keys) store.removeItem(key);
  return true;
}

/**
 * Puts back what was put aside for `student`, if anything. A key the stores hold already (work
 * done signed out since) stays as it is, and the put-aside copy of it stays put aside: nothing is dropped.
 */
function restore(store: ListableStore, student: string): void {
  const raw = store.getItem(STASH_PREFIX + student);
  if (raw === null) return;
  let saved: unknown;
  try {
    saved = JSON.parse(raw);
  } catch {
    saved = undefined;
  }
  const left: Record<string, string> = {};
  if (typeof saved === 'object' && saved !== null) {
    for (const [key, value] of Object.entries(saved)) {
      if (!isStudentKey(key) || typeof value !== 'string') continue;
      if (store.getItem(key) === null) store.setItem(key, value);
      else left[key] = value;
    }
  }
  if (Object.keys(left).length > 0) store.setItem(STASH_PREFIX + student, JSON.stringify(left));
  else store.removeItem(STASH_PREFIX + student);
}

/**
 * Makes the stores `student`'s before they are synced: `own` when they were already,
 * `adopted` when they were nobody's (the work is theirs now and goes to their account),
 * `switched` when another student's work was put aside and `student`'s own put back;
 * `blocked` when another student's work could not be put aside (storage full): then
 * nothing may be synced, or it would go to the wrong account.
 */
export function claimStores(store: ListableStore, student: string): 'own' | 'adopted' | 'switched' | 'blocked' {
  const owner = store.getItem(OWNER_KEY);
  if (owner === student) return 'own';
  if (owner !== null && !clearStudent(store, owner, true)) return 'blocked';
  restore(store, student);
  store.setItem(OWNER_KEY, student);
  return owner === null ? 'adopted' : 'switched';
}

/**
 * After signing out: the stores become nobody's. `everythingSaved` says the server has all of
 * the student's work (then nothing of it stays here); otherwise it is put aside for them.
 */
export function releaseStores(store: ListableStore, everythingSaved: boolean): void {
  const owner = store.getItem(OWNER_KEY);
  if (owner === null) return;
  // Too full to put aside: it stays, still theirs, so no one else's account receives it.
  if (clearStudent(store, owner, !everythingSaved)) store.removeItem(OWNER_KEY);
}
