import type { ProgressDocument } from '../../../sandbox-server/contract/classroom.ts';
import type { DraftDocument } from './merge.ts';

/* The signed-in student's copy on the server: /api/me/progress and /api/me/drafts. */

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** The server did not take or give the copy (offline, signed out, refused): try again later. */
export class SyncFailed extends Error {}

async function call<T>(fetchFn: Fetch, path: string, init: RequestInit = {}): Promise<T | undefined> {
  let res: Response;
  try {
    // keepalive: a push started as the page is left still reaches the server.
    res = await fetchFn(path, { ...init, keepalive: init.method === 'PUT', headers: { accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}) } });
  } catch (err) {
    throw new SyncFailed(`the server cannot be reached: ${(err as Error).message}`);
  }
  if (res.status === 404 && init.method !== 'PUT') return undefined;
  if (!res.ok) throw new SyncFailed(`the server answered ${res.status}`);
  return (await res.json()) as T;
}

/** Sends this browser's progress; the answer is the merge the server keeps. */
export async function pushProgress(progress: ProgressDocument, fetchFn: Fetch = (i, init) => fetch(i, init)): Promise<ProgressDocument> {
  const merged = await call<ProgressDocument>(fetchFn, '/api/me/progress', { method: 'PUT', body: JSON.stringify(progress) });
  if (!merged) throw new SyncFailed('the server answered nothing');
  return merged;
}

/** The server's draft of one exercise, or undefined when it has none. */
export function fetchDraft(slug: string, fetchFn: Fetch = (i, init) => fetch(i, init)): Promise<DraftDocument | undefined> {
  return call<DraftDocument>(fetchFn, `/api/me/drafts/${encodeURIComponent(slug)}`);
}

/** Sends one exercise's draft; the answer is the draft the server keeps (its own, if it is later). */
export async function pushDraft(slug: string, draft: DraftDocument, fetchFn: Fetch = (i, init) => fetch(i, init)): Promise<DraftDocument> {
  const kept = await call<DraftDocument>(fetchFn, `/api/me/drafts/${encodeURIComponent(slug)}`, {
    method: 'PUT',
    body: JSON.stringify({ files: draft.files, updatedAt: draft.updatedAt }),
  });
  if (!kept) throw new SyncFailed('the server answered nothing');
  return { files: kept.files, updatedAt: kept.updatedAt };
}
