/**
 * The student's progress, kept in the browser's localStorage under one versioned key:
 * each exercise's state after its latest Check, the lessons visited and the last one.
 * Everything here survives missing, corrupt or foreign data: a bad entry is dropped,
 * never thrown at the page.
 */

export const PROGRESS_KEY = 'dockyard:progress:v1';

/** Fired on `window` after every change this tab makes, so every part of the page can redraw. */
export const PROGRESS_EVENT = 'dockyard:progress';

/** Fired on `window` by the workspace after each Check. */
export const CHECK_EVENT = 'dockyard:check';

export type ExerciseStatus = 'passed' | 'attempted';

export interface ExerciseProgress {
  status: ExerciseStatus;
  score: number;
  maxScore: number;
  /** When the latest Check that changed this record finished (ISO 8601). */
  at: string;
  /** The exercise's module, when the Check said so. */
  module?: string;
}

export interface LessonVisit {
  /** The lesson's path on the site, e.g. "/volumes/named-volumes/". */
  path: string;
  title: string;
  /** The lesson's module slug, e.g. "volumes". */
  module: string;
  at: string;
}

export interface Progress {
  version: 1;
  exercises: Record<string, ExerciseProgress>;
  /** Lesson path → when it was last visited (ISO 8601). */
  visited: Record<string, string>;
  lastLesson?: LessonVisit;
  /** Exercise slug → how many of its hints the student has revealed. */
  hints: Record<string, number>;
}

/** What the workspace says after a Check (the `detail` of a `dockyard:check` event). */
export interface CheckDetail {
  exercise: string;
  module?: string;
  /** The verdict's status: "pass" (or "passed") counts as passed, anything else as an attempt. */
  status: string;
  score?: number;
  maxScore?: number;
}

/** The part of Storage the store needs (localStorage in the browser, a Map in tests). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** More lessons than any course has: a cap so a runaway page cannot fill the student's storage. */
const MAX_VISITED = 500;
/** More hints than any exercise has. */
const MAX_HINTS = 50;

export function emptyProgress(): Progress {
  return { version: 1, exercises: {}, visited: {}, hints: {} };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;

const isTime = (value: unknown): value is string => typeof value === 'string' && !Number.isNaN(Date.parse(value));

const isPath = (value: unknown): value is string => typeof value === 'string' && value.startsWith('/') && value.length <= 300;

function parseExercise(value: unknown): ExerciseProgress | undefined {
  if (!isRecord(value)) return undefined;
  const { status, score, maxScore, at, module } = value;
  if (status !== 'passed' && status !== 'attempted') return undefined;
  if (!isCount(score) || !isCount(maxScore) || !isTime(at)) return undefined;
  const entry: ExerciseProgress = { status, score, maxScore, at };
  if (typeof module === 'string' && SLUG.test(module)) entry.module = module;
  return entry;
}

function parseVisit(value: unknown): LessonVisit | undefined {
  if (!isRecord(value)) return undefined;
  const { path, title, module, at } = value;
  if (!isPath(path) || typeof title !== 'string' || typeof module !== 'string' || !isTime(at)) return undefined;
  return { path, title, module, at };
}

/** Reads a stored value; anything unreadable or from another version gives a fresh, empty record. */
export function parseProgress(raw: string | null | undefined): Progress {
  const progress = emptyProgress();
  if (!raw) return progress;
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return progress;
  }
  if (!isRecord(data) || data.version !== 1) return progress;
  if (isRecord(data.exercises)) {
    for (const [slug, value] of Object.entries(data.exercises)) {
      const entry = SLUG.test(slug) ? parseExercise(value) : undefined;
      if (entry) progress.exercises[slug] = entry;
    }
  }
  if (isRecord(data.visited)) {
    for (const [path, at] of Object.entries(data.visited)) {
      if (isPath(path) && isTime(at)) progress.visited[path] = at;
    }
  }
  if (isRecord(data.hints)) {
    for (const [slug, shown] of Object.entries(data.hints)) {
      if (SLUG.test(slug) && isCount(shown) && Number.isInteger(shown) && shown <= MAX_HINTS) progress.hints[slug] = shown;
    }
  }
  const last = parseVisit(data.lastLesson);
  if (last) progress.lastLesson = last;
  return progress;
}

/** The detail of a `dockyard:check` event, if it is one this store can record. */
export function parseCheckDetail(detail: unknown): CheckDetail | undefined {
  if (!isRecord(detail)) return undefined;
  const { exercise, module, status, score, maxScore } = detail;
  if (typeof exercise !== 'string' || !SLUG.test(exercise) || typeof status !== 'string') return undefined;
  const parsed: CheckDetail = { exercise, status };
  if (typeof module === 'string' && SLUG.test(module)) parsed.module = module;
  if (isCount(score)) parsed.score = score;
  if (isCount(maxScore)) parsed.maxScore = maxScore;
  return parsed;
}

const isPass = (status: string) => status === 'pass' || status === 'passed';

/**
 * The progress after a Check. A pass is kept: a later failing Check (the student trying
 * something else) leaves the exercise passed, with its best score.
 */
export function withCheck(progress: Progress, check: CheckDetail, now: Date): Progress {
  const before = progress.exercises[check.exercise];
  const passed = isPass(check.status);
  const maxScore = check.maxScore ?? before?.maxScore ?? check.score ?? 0;
  const score = check.score ?? (passed ? maxScore : 0);
  let entry: ExerciseProgress;
  if (before?.status === 'passed' && !passed) {
    entry = { ...before, score: Math.max(before.score, score) };
  } else {
    entry = { status: passed ? 'passed' : 'attempted', score, maxScore, at: now.toISOString() };
    if (passed && before?.status === 'passed') entry.score = Math.max(before.score, score);
  }
  const module = check.module ?? before?.module;
  if (module) entry.module = module;
  return { ...progress, exercises: { ...progress.exercises, [check.exercise]: entry } };
}

/** The progress after a lesson page was opened: it becomes the lesson to continue from. */
export function withVisit(progress: Progress, lesson: Omit<LessonVisit, 'at'>, now: Date): Progress {
  if (!isPath(lesson.path)) return progress;
  const at = now.toISOString();
  const visited = { ...progress.visited, [lesson.path]: at };
  const paths = Object.keys(visited);
  if (paths.length > MAX_VISITED) {
    // Forget the visits longest ago.
    paths.sort((a, b) => Date.parse(visited[a]!) - Date.parse(visited[b]!));
    for (const path of paths.slice(0, paths.length - MAX_VISITED)) delete visited[path];
  }
  return { ...progress, visited, lastLesson: { path: lesson.path, title: lesson.title, module: lesson.module, at } };
}

/** The progress after the student revealed hints of `exercise`: the count only grows. */
export function withHints(progress: Progress, exercise: string, shown: number): Progress {
  if (!SLUG.test(exercise) || !Number.isInteger(shown) || shown < 0 || shown > MAX_HINTS) return progress;
  if ((progress.hints[exercise] ?? 0) >= shown) return progress;
  return { ...progress, hints: { ...progress.hints, [exercise]: shown } };
}

/** How many hints of `exercise` the student has revealed. */
export function hintsShown(progress: Progress, exercise: string): number {
  return progress.hints[exercise] ?? 0;
}

/** How many of `exercises` are passed. */
export function countPassed(progress: Progress, exercises: readonly string[]): number {
  return exercises.filter((slug) => progress.exercises[slug]?.status === 'passed').length;
}

/** Reads and writes progress in `storage`; a storage that refuses (private mode, full) leaves it in memory for this page. */
export interface ProgressStore {
  read(): Progress;
  recordCheck(detail: unknown): Progress | undefined;
  recordVisit(lesson: Omit<LessonVisit, 'at'>): Progress;
  recordHints(exercise: string, shown: number): Progress;
  /** Applies `change` to the stored progress (read afresh) and stores the result. */
  update(change: (progress: Progress) => Progress): Progress;
}

export function createProgressStore(
  storage: KeyValueStore | undefined,
  options: { now?: () => Date; onChange?: (progress: Progress) => void } = {},
): ProgressStore {
  const now = options.now ?? (() => new Date());
  let memory: Progress | undefined;

  const read = (): Progress => {
    if (memory) return memory;
    try {
      return parseProgress(storage?.getItem(PROGRESS_KEY));
    } catch {
      return emptyProgress();
    }
  };
  const write = (progress: Progress): Progress => {
    try {
      if (!storage) throw new Error('no storage');
      storage.setItem(PROGRESS_KEY, JSON.stringify(progress));
      memory = undefined;
    } catch {
      memory = progress;
    }
    options.onChange?.(progress);
    return progress;
  };

  return {
    read,
    // Each change reads the stored value afresh, so a change another tab made in between is kept.
    recordCheck(detail) {
      const check = parseCheckDetail(detail);
      return check ? write(withCheck(read(), check, now())) : undefined;
    },
    recordVisit(lesson) {
      return write(withVisit(read(), lesson, now()));
    },
    recordHints(exercise, shown) {
      return write(withHints(read(), exercise, shown));
    },
    update(change) {
      return write(change(read()));
    },
  };
}

/** The browser's localStorage, or undefined where reading it throws (storage disabled). */
export function browserStorage(): KeyValueStore | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

/**
 * The page's store: records every `dockyard:check`, tells `listener` about every change,
 * from this tab or another (the `storage` event), and returns the store.
 */
export function connectProgress(listener: (progress: Progress) => void): ProgressStore {
  const store = createProgressStore(browserStorage(), {
    onChange: (progress) => window.dispatchEvent(new CustomEvent(PROGRESS_EVENT, { detail: progress })),
  });
  window.addEventListener(PROGRESS_EVENT, (event) => listener((event as CustomEvent<Progress>).detail));
  window.addEventListener('storage', (event) => {
    // A null key means another tab cleared the whole storage.
    if (event.key === PROGRESS_KEY || event.key === null) listener(store.read());
  });
  listener(store.read());
  return store;
}

/** Records every Check on this page, once per page however many parts of it call this. */
export function recordChecks(store: ProgressStore): void {
  const flag = '__dockyardProgressChecks';
  const host = window as unknown as Record<string, unknown>;
  if (host[flag]) return;
  host[flag] = true;
  window.addEventListener(CHECK_EVENT, (event) => {
    store.recordCheck((event as CustomEvent<unknown>).detail);
  });
}
