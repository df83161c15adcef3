import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DebouncedSaver, DraftStore, draftKey, markDraftPushed, pendingDrafts, storedDraft, type ExerciseFileData } from './drafts.ts';

class MemoryStore {
  readonly map = new Map<string, string>();
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.map.set(key, value);
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
}

const files: ExerciseFileData[] = [
  { path: 'Dockerfile', language: 'dockerfile', readOnly: false, starter: 'FROM python:3.11-slim\n' },
  { path: 'app.py', language: 'python', readOnly: true, starter: 'print("hi")\n' },
];

describe('DraftStore', () => {
  it('reads the starter until something is saved, then the draft', () => {
    const store = new MemoryStore();
    const drafts = new DraftStore('pkg', files, store);
    expect(drafts.read('Dockerfile')).toBe('FROM python:3.11-slim\n');
    expect(drafts.changed('Dockerfile')).toBe(false);
    drafts.write('Dockerfile', 'FROM busybox\n');
    expect(store.getItem(draftKey('pkg', 'Dockerfile'))).toBe('FROM busybox\n');
    expect(new DraftStore('pkg', files, store).read('Dockerfile')).toBe('FROM busybox\n');
    expect(drafts.changed('Dockerfile')).toBe(true);
    expect(drafts.anyChanged()).toBe(true);
  });

  it('keys drafts by exercise and file, so two exercises never share one', () => {
    const store = new MemoryStore();
    new DraftStore('one', files, store).write('Dockerfile', 'A');
    expect(new DraftStore('two', files, store).read('Dockerfile')).toBe(files[0]!.starter);
    expect(draftKey('one', 'app/main.py')).toBe('dockyard:draft:one:app/main.py');
  });

  it('never stores read-only files and always reads them as the starter', () => {
    const store = new MemoryStore();
    store.setItem(draftKey('pkg', 'app.py'), 'tampered');
    const drafts = new DraftStore('pkg', files, store);
    drafts.write('app.py', 'changed');
    expect(drafts.read('app.py')).toBe('print("hi")\n');
    expect(store.getItem(draftKey('pkg', 'app.py'))).toBe('tampered');
    expect(drafts.submission()).toEqual({ Dockerfile: 'FROM python:3.11-slim\n' });
    expect(drafts.all()).toEqual({ Dockerfile: 'FROM python:3.11-slim\n', 'app.py': 'print("hi")\n' });
  });

  it('reset forgets every draft', () => {
    const store = new MemoryStore();
    const drafts = new DraftStore('pkg', files, store);
    drafts.write('Dockerfile', 'FROM busybox\n');
    drafts.reset();
    // The files' drafts are gone; what remains says when the reset was, for the server copy.
    expect([...store.map.keys()].filter((k) => k.startsWith('dockyard:draft:'))).toEqual([]);
    expect(drafts.read('Dockerfile')).toBe(files[0]!.starter);
  });

  it('keeps working when storage is full', () => {
    const full = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); }, removeItem: () => {} };
    expect(() => new DraftStore('pkg', files, full).write('Dockerfile', 'x')).not.toThrow();
  });
});

describe('DebouncedSaver', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('writes the last text within the delay, once', () => {
    const store = new MemoryStore();
    const writes: string[] = [];
    const drafts = new DraftStore('pkg', files, store);
    const write = drafts.write.bind(drafts);
    drafts.write = (path, text) => {
      writes.push(text);
      write(path, text);
    };
    const saver = new DebouncedSaver(drafts, 250);
    saver.change('Dockerfile', 'F');
    saver.change('Dockerfile', 'FR');
    vi.advanceTimersByTime(249);
    expect(writes).toEqual([]);
    saver.change('Dockerfile', 'FRO');
    vi.advanceTimersByTime(250);
    expect(writes).toEqual(['FRO']);
    expect(drafts.read('Dockerfile')).toBe('FRO');
  });

  it('flush writes at once (page hidden, before a check); discard drops pending edits', () => {
    const store = new MemoryStore();
    const drafts = new DraftStore('pkg', files, store);
    const saver = new DebouncedSaver(drafts, 250);
    saver.change('Dockerfile', 'now');
    saver.flush();
    expect(drafts.read('Dockerfile')).toBe('now');
    saver.change('Dockerfile', 'later');
    saver.discard();
    vi.advanceTimersByTime(1000);
    expect(drafts.read('Dockerfile')).toBe('now');
  });
});

describe('DraftStore and the server copy', () => {
  const at = (iso: string) => () => new Date(iso);

  it('records when the draft changed and that the server lacks it; a push of that version clears it', () => {
    const store = new MemoryStore();
    const drafts = new DraftStore('pkg', files, store, at('2026-12-01T09:00:00.000Z'));
    let changes = 0;
    drafts.onChange = () => changes++;
    expect(drafts.document()).toBeUndefined();
    drafts.write('Dockerfile', 'FROM busybox\n');
    expect(changes).toBe(1);
    expect(drafts.document()).toEqual({ files: { Dockerfile: 'FROM busybox\n' }, updatedAt: '2026-12-01T09:00:00.000Z' });
    expect(storedDraft(store, 'pkg')).toEqual(drafts.document());
    expect(pendingDrafts(store)).toEqual(['pkg']);
    markDraftPushed(store, 'pkg', '2026-12-01T08:00:00.000Z');
    expect(pendingDrafts(store)).toEqual(['pkg']);
    markDraftPushed(store, 'pkg', '2026-12-01T09:00:00.000Z');
    expect(pendingDrafts(store)).toEqual([]);
    drafts.reset();
    expect(drafts.document()).toEqual({ files: {}, updatedAt: '2026-12-01T09:00:00.000Z' });
    expect(pendingDrafts(store)).toEqual(['pkg']);
  });

  it('reads a draft saved before times were kept as older than any', () => {
    const store = new MemoryStore();
    store.setItem(draftKey('pkg', 'Dockerfile'), 'FROM old\n');
    expect(new DraftStore('pkg', files, store).document()).toEqual({ files: { Dockerfile: 'FROM old\n' }, updatedAt: new Date(0).toISOString() });
    expect(storedDraft(store, 'pkg')).toBeUndefined();
  });

  it('replaces the draft by the server\'s, keeping its time, and swaps the other version back without losing either', () => {
    const store = new MemoryStore();
    const drafts = new DraftStore('pkg', files, store, at('2026-12-01T12:00:00.000Z'));
    drafts.write('Dockerfile', 'mine\n');
    const mine = drafts.document()!;
    let changes = 0;
    drafts.onChange = () => changes++;
    drafts.replace({ files: { Dockerfile: 'theirs\n' }, updatedAt: '2026-12-01T13:00:00.000Z' });
    drafts.keepOther(mine);
    expect(changes).toBe(0);
    expect(drafts.read('Dockerfile')).toBe('theirs\n');
    expect(drafts.other()).toEqual(mine);
    expect(drafts.swapOther()).toEqual(mine);
    expect(drafts.read('Dockerfile')).toBe('mine\n');
    expect(drafts.document()?.updatedAt).toBe('2026-12-01T12:00:00.000Z');
    expect(drafts.other()).toEqual({ files: { Dockerfile: 'theirs\n' }, updatedAt: '2026-12-01T13:00:00.000Z' });
    expect(changes).toBe(1);
    drafts.dropOther();
    expect(drafts.other()).toBeUndefined();
    expect(drafts.swapOther()).toBeUndefined();
  });
});
