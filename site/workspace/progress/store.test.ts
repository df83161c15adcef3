import { describe, expect, it } from 'vitest';
import {
  PROGRESS_KEY,
  countPassed,
  createProgressStore,
  emptyProgress,
  hintsShown,
  parseCheckDetail,
  parseProgress,
  withCheck,
  withHints,
  withVisit,
  type KeyValueStore,
} from './store.ts';

const T1 = new Date('2026-01-05T10:00:00.000Z');
const T2 = new Date('2026-01-05T11:30:00.000Z');

function memoryStorage(initial?: string): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  if (initial !== undefined) data.set(PROGRESS_KEY, initial);
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
  };
}

describe('parseProgress', () => {
  it('gives empty progress for missing, unreadable or foreign data', () => {
    for (const raw of [null, undefined, '', '{', 'null', '42', '[]', '"text"', '{"version":2,"exercises":{}}', '{}']) {
      expect(parseProgress(raw)).toEqual(emptyProgress());
    }
  });

  it('keeps good entries and drops damaged ones', () => {
    const raw = JSON.stringify({
      version: 1,
      exercises: {
        'terminal-shared-volume': { status: 'passed', score: 3, maxScore: 3, at: T1.toISOString(), module: 'volumes' },
        'asyncio-gather': { status: 'attempted', score: 1, maxScore: 4, at: T2.toISOString() },
        'bad-status': { status: 'done', score: 1, maxScore: 1, at: T1.toISOString() },
        'bad-score': { status: 'passed', score: -1, maxScore: 1, at: T1.toISOString() },
        'bad-time': { status: 'passed', score: 1, maxScore: 1, at: 'yesterday' },
        'Not A Slug': { status: 'passed', score: 1, maxScore: 1, at: T1.toISOString() },
        'not-an-object': 'passed',
      },
      visited: { '/volumes/named-volumes/': T1.toISOString(), 'relative/path/': T1.toISOString(), '/x/': 5 },
      lastLesson: { path: '/volumes/named-volumes/', title: 'Named volumes', module: 'volumes', at: T1.toISOString() },
    });
    const progress = parseProgress(raw);
    expect(Object.keys(progress.exercises)).toEqual(['terminal-shared-volume', 'asyncio-gather']);
    expect(progress.exercises['terminal-shared-volume']).toEqual({
      status: 'passed',
      score: 3,
      maxScore: 3,
      at: T1.toISOString(),
      module: 'volumes',
    });
    expect(progress.visited).toEqual({ '/volumes/named-volumes/': T1.toISOString() });
    expect(progress.lastLesson?.title).toBe('Named volumes');
  });

  it('drops a last lesson that is not a site path', () => {
    const raw = JSON.stringify({
      version: 1,
      lastLesson: { path: 'https://elsewhere.example/', title: 'x', module: 'm', at: T1.toISOString() },
    });
    expect(parseProgress(raw).lastLesson).toBeUndefined();
  });
});

describe('parseCheckDetail', () => {
  it('accepts what the workspace sends and ignores the rest', () => {
    expect(parseCheckDetail({ exercise: 'asyncio-gather', module: 'python-asyncio', status: 'pass', score: 4, maxScore: 4 })).toEqual({
      exercise: 'asyncio-gather',
      module: 'python-asyncio',
      status: 'pass',
      score: 4,
      maxScore: 4,
    });
    expect(parseCheckDetail({ exercise: 'asyncio-gather', status: 'fail', score: Number.NaN })).toEqual({
      exercise: 'asyncio-gather',
      status: 'fail',
    });
    for (const bad of [null, 'pass', {}, { exercise: 'x y', status: 'pass' }, { exercise: 'ok', status: 1 }]) {
      expect(parseCheckDetail(bad)).toBeUndefined();
    }
  });
});

describe('withCheck', () => {
  it('records a pass and a failed attempt', () => {
    let progress = withCheck(emptyProgress(), { exercise: 'a', status: 'fail', score: 1, maxScore: 3 }, T1);
    expect(progress.exercises.a).toEqual({ status: 'attempted', score: 1, maxScore: 3, at: T1.toISOString() });
    progress = withCheck(progress, { exercise: 'a', module: 'volumes', status: 'pass', score: 3, maxScore: 3 }, T2);
    expect(progress.exercises.a).toEqual({ status: 'passed', score: 3, maxScore: 3, at: T2.toISOString(), module: 'volumes' });
  });

  it('keeps a pass when a later Check fails', () => {
    const passed = withCheck(emptyProgress(), { exercise: 'a', status: 'pass', score: 3, maxScore: 3 }, T1);
    const after = withCheck(passed, { exercise: 'a', status: 'fail', score: 1, maxScore: 3 }, T2);
    expect(after.exercises.a).toEqual({ status: 'passed', score: 3, maxScore: 3, at: T1.toISOString() });
  });

  it('counts an error verdict as an attempt, and "passed" as a pass', () => {
    expect(withCheck(emptyProgress(), { exercise: 'a', status: 'error' }, T1).exercises.a?.status).toBe('attempted');
    expect(withCheck(emptyProgress(), { exercise: 'a', status: 'passed', score: 2, maxScore: 2 }, T1).exercises.a?.status).toBe(
      'passed',
    );
  });

  it('leaves the progress it was given alone', () => {
    const before = emptyProgress();
    withCheck(before, { exercise: 'a', status: 'pass' }, T1);
    expect(before).toEqual(emptyProgress());
  });
});

describe('withVisit and countPassed', () => {
  it('makes the visited lesson the one to continue from', () => {
    let progress = withVisit(emptyProgress(), { path: '/images/layers/', title: 'Layers', module: 'images' }, T1);
    progress = withVisit(progress, { path: '/volumes/named-volumes/', title: 'Named volumes', module: 'volumes' }, T2);
    expect(progress.lastLesson).toEqual({ path: '/volumes/named-volumes/', title: 'Named volumes', module: 'volumes', at: T2.toISOString() });
    expect(progress.visited).toEqual({ '/images/layers/': T1.toISOString(), '/volumes/named-volumes/': T2.toISOString() });
  });

  it('ignores a path that is not on the site', () => {
    const progress = withVisit(emptyProgress(), { path: 'javascript:alert(1)', title: 'x', module: 'x' }, T1);
    expect(progress).toEqual(emptyProgress());
  });

  it('keeps the visit list bounded, forgetting the oldest', () => {
    let progress = emptyProgress();
    for (let i = 0; i < 505; i++) progress = withVisit(progress, { path: `/m/l${i}/`, title: `L${i}`, module: 'm' }, new Date(T1.getTime() + i * 1000));
    expect(Object.keys(progress.visited)).toHaveLength(500);
    expect(progress.visited['/m/l0/']).toBeUndefined();
    expect(progress.visited['/m/l504/']).toBeDefined();
  });

  it('counts only passed exercises of the list', () => {
    let progress = withCheck(emptyProgress(), { exercise: 'a', status: 'pass' }, T1);
    progress = withCheck(progress, { exercise: 'b', status: 'fail' }, T1);
    progress = withCheck(progress, { exercise: 'c', status: 'pass' }, T1);
    expect(countPassed(progress, ['a', 'b', 'd'])).toBe(1);
  });
});

describe('createProgressStore', () => {
  it('writes under the versioned key and reads it back', () => {
    const storage = memoryStorage();
    const changes: unknown[] = [];
    const store = createProgressStore(storage, { now: () => T1, onChange: (p) => changes.push(p) });
    store.recordVisit({ path: '/volumes/named-volumes/', title: 'Named volumes', module: 'volumes' });
    store.recordCheck({ exercise: 'terminal-shared-volume', module: 'volumes', status: 'pass', score: 3, maxScore: 3 });
    const stored = JSON.parse(storage.data.get(PROGRESS_KEY)!);
    expect(stored.version).toBe(1);
    expect(stored.exercises['terminal-shared-volume'].status).toBe('passed');
    expect(createProgressStore(storage).read()).toEqual(stored);
    expect(changes).toHaveLength(2);
  });

  it('ignores a Check event it cannot read, without writing', () => {
    const storage = memoryStorage();
    const store = createProgressStore(storage);
    expect(store.recordCheck({ nonsense: true })).toBeUndefined();
    expect(storage.data.size).toBe(0);
  });

  it('keeps what another tab wrote in between', () => {
    const storage = memoryStorage();
    const mine = createProgressStore(storage, { now: () => T1 });
    const other = createProgressStore(storage, { now: () => T2 });
    mine.recordCheck({ exercise: 'a', status: 'pass' });
    other.recordCheck({ exercise: 'b', status: 'pass' });
    mine.recordVisit({ path: '/m/l/', title: 'L', module: 'm' });
    expect(Object.keys(mine.read().exercises).sort()).toEqual(['a', 'b']);
  });

  it('starts over from corrupt stored data', () => {
    const storage = memoryStorage('{"version":1,"exercises":');
    const store = createProgressStore(storage, { now: () => T1 });
    expect(store.read()).toEqual(emptyProgress());
    store.recordCheck({ exercise: 'a', status: 'pass', score: 1, maxScore: 1 });
    expect(parseProgress(storage.data.get(PROGRESS_KEY)).exercises.a?.status).toBe('passed');
  });

  it('keeps progress in memory when the storage refuses to write or read', () => {
    const refusing: KeyValueStore = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    const store = createProgressStore(refusing, { now: () => T1 });
    expect(store.read()).toEqual(emptyProgress());
    store.recordCheck({ exercise: 'a', status: 'pass' });
    expect(store.read().exercises.a?.status).toBe('passed');
    const none = createProgressStore(undefined, { now: () => T1 });
    none.recordVisit({ path: '/m/l/', title: 'L', module: 'm' });
    expect(none.read().lastLesson?.path).toBe('/m/l/');
  });
});

describe('hints', () => {
  it('counts the hints revealed per exercise, only upwards, and survives a reload', () => {
    const storage = memoryStorage();
    const store = createProgressStore(storage, { now: () => T1 });
    expect(hintsShown(store.read(), 'terminal-shared-volume')).toBe(0);
    store.recordHints('terminal-shared-volume', 1);
    store.recordHints('terminal-shared-volume', 2);
    store.recordHints('terminal-shared-volume', 1);
    const reloaded = createProgressStore(storage, { now: () => T2 });
    expect(hintsShown(reloaded.read(), 'terminal-shared-volume')).toBe(2);
    expect(hintsShown(reloaded.read(), 'asyncio-gather')).toBe(0);
  });

  it('drops damaged hint counts and ignores bad ones', () => {
    const raw = JSON.stringify({ version: 1, hints: { 'a-b': 2, 'Not A Slug': 1, neg: -1, half: 1.5, many: 1000, text: '3' } });
    expect(parseProgress(raw).hints).toEqual({ 'a-b': 2 });
    const progress = emptyProgress();
    expect(withHints(progress, 'x y', 1)).toBe(progress);
    expect(withHints(progress, 'a', -1)).toBe(progress);
  });
});
