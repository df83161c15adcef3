import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DraftStore, otherDraft, pendingDrafts, storedDraft, type ExerciseFileData } from '../drafts.ts';
import { DRAFT_REPLACED_EVENT, pushPendingDrafts } from './page-sync.ts';

class MemoryStore {
  readonly map = new Map<string, string>();
  getItem = (k: string) => this.map.get(k) ?? null;
  setItem = (k: string, v: string) => void this.map.set(k, v);
  removeItem = (k: string) => void this.map.delete(k);
}

const files: ExerciseFileData[] = [{ path: 'main.py', language: 'python', readOnly: false, starter: 'pass\n' }];
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('pushing the drafts a device changed', () => {
  let replaced: string[];
  beforeEach(() => {
    replaced = [];
    const target = new EventTarget();
    target.addEventListener(DRAFT_REPLACED_EVENT, (e) => replaced.push((e as CustomEvent<string>).detail));
    vi.stubGlobal('window', target);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('sends each pending draft once; the server taking it clears it', async () => {
    const store = new MemoryStore();
    new DraftStore('ex', files, store, () => new Date('2026-12-01T10:00:00.000Z')).write('main.py', 'mine\n');
    const fetchFn = vi.fn(async (_url: string, init?: RequestInit) => json(200, JSON.parse(String(init?.body))));
    vi.stubGlobal('fetch', fetchFn);
    await pushPendingDrafts(store);
    expect(fetchFn).toHaveBeenCalledTimes(1);
    expect(fetchFn.mock.calls[0]![0]).toBe('/api/me/drafts/ex');
    expect(JSON.parse(String(fetchFn.mock.calls[0]![1]!.body))).toEqual({ files: { 'main.py': 'mine\n' }, updatedAt: '2026-12-01T10:00:00.000Z' });
    expect(pendingDrafts(store)).toEqual([]);
    await pushPendingDrafts(store);
    expect(fetchFn).toHaveBeenCalledTimes(1);
    expect(replaced).toEqual([]);
  });

  it('takes the later draft the server kept, keeps this device\'s as the other, and tells the page', async () => {
    const store = new MemoryStore();
    new DraftStore('ex', files, store, () => new Date('2026-12-01T10:00:00.000Z')).write('main.py', 'offline\n');
    const theirs = { exercise: 'ex', files: { 'main.py': 'laptop\n' }, updatedAt: '2026-12-01T11:00:00.000Z' };
    vi.stubGlobal('fetch', vi.fn(async () => json(200, theirs)));
    await pushPendingDrafts(store);
    expect(storedDraft(store, 'ex')).toEqual({ files: theirs.files, updatedAt: theirs.updatedAt });
    expect(otherDraft(store, 'ex')).toEqual({ files: { 'main.py': 'offline\n' }, updatedAt: '2026-12-01T10:00:00.000Z' });
    expect(pendingDrafts(store)).toEqual([]);
    expect(replaced).toEqual(['ex']);
  });

  it('keeps a draft pending while the server cannot be reached or refuses it', async () => {
    const store = new MemoryStore();
    new DraftStore('ex', files, store).write('main.py', 'mine\n');
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    await expect(pushPendingDrafts(store)).rejects.toThrow('cannot be reached');
    vi.stubGlobal('fetch', vi.fn(async () => json(401, { error: { code: 'not_signed_in', message: 'Sign in first' } })));
    await expect(pushPendingDrafts(store)).rejects.toThrow('401');
    expect(pendingDrafts(store)).toEqual(['ex']);
  });
});
