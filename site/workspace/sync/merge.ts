import type { ProgressDocument } from '../../../sandbox-server/contract/classroom.ts';
import type { ExerciseProgress, Progress } from '../progress/store.ts';

/*
 * How the browser's copy and the server's copy of a signed-in student's work become one.
 * Both rules keep everything: progress only ever gains (a pass is never taken back), and of
 * two different drafts the newer is used while the other is kept on this device, one click away.
 */

/** As many lesson visits as the server keeps per student (and the store per browser). */
export const MAX_SYNCED_VISITS = 500;

/** Which of two states of one exercise wins: a pass beats an attempt, then the later Check (the server's rule too). */
export function laterProgress(a: ExerciseProgress, b: ExerciseProgress): ExerciseProgress {
  if (a.status !== b.status) return a.status === 'passed' ? a : b;
  const winner = Date.parse(b.at) > Date.parse(a.at) ? b : a;
  // A module name known to either copy is kept.
  const module = winner.module ?? (winner === a ? b.module : a.module);
  return module ? { ...winner, module } : winner;
}

/** The local progress with the server's folded in: hints and the last lesson stay this browser's. */
export function mergeProgress(local: Progress, remote: ProgressDocument | undefined): Progress {
  if (!remote) return local;
  const exercises = { ...local.exercises };
  for (const [slug, theirs] of Object.entries(remote.exercises)) {
    const mine = exercises[slug];
    exercises[slug] = mine ? laterProgress(mine, theirs) : theirs;
  }
  const visited = { ...local.visited };
  for (const [path, at] of Object.entries(remote.visited)) {
    const mine = visited[path];
    if (!mine || Date.parse(at) > Date.parse(mine)) visited[path] = at;
  }
  const paths = Object.keys(visited);
  if (paths.length > MAX_SYNCED_VISITS) {
    paths.sort((a, b) => Date.parse(visited[a]!) - Date.parse(visited[b]!));
    for (const path of paths.slice(0, paths.length - MAX_SYNCED_VISITS)) delete visited[path];
  }
  return { ...local, exercises, visited };
}

/** The part of the progress the server keeps, as PUT /api/me/progress takes it. */
export function progressDocument(progress: Progress): ProgressDocument {
  return { version: 1, exercises: progress.exercises, visited: progress.visited };
}

/** Whether two progress records hold the same synced part (so a merge changed nothing). */
export function sameSynced(a: Progress, b: Progress): boolean {
  return stableJson(progressDocument(a)) === stableJson(progressDocument(b));
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => x.localeCompare(y))) : v,
  );
}

/** One exercise's draft: its changed files (a file not listed reads as its starter) and when it last changed. */
export interface DraftDocument {
  files: Record<string, string>;
  updatedAt: string;
}

/** What to do with a draft after comparing this device's with the server's. */
export interface DraftResolution {
  /** The draft to use from now on (undefined: neither side has one). */
  use: DraftDocument | undefined;
  /** Whether `use` came from the server, so this device's copy must be replaced by it. */
  fromServer: boolean;
  /** Whether the server must be told `use` (it lacks it, or holds an older one). */
  push: boolean;
  /** The other, different draft, kept on this device so the student can bring it back. */
  other: DraftDocument | undefined;
}

/** Whether two drafts hold the same files. */
export function sameFiles(a: DraftDocument, b: DraftDocument): boolean {
  return stableJson(a.files) === stableJson(b.files);
}

const time = (draft: DraftDocument) => {
  const t = Date.parse(draft.updatedAt);
  return Number.isNaN(t) ? 0 : t;
};

/**
 * This device's draft against the server's: the later `updatedAt` wins (a tie keeps this
 * device's), and when the two differ the loser is kept as `other`, so no draft is ever lost.
 */
export function resolveDrafts(local: DraftDocument | undefined, remote: DraftDocument | undefined): DraftResolution {
  if (!remote) return { use: local, fromServer: false, push: !!local, other: undefined };
  if (!local) return { use: remote, fromServer: true, push: false, other: undefined };
  if (sameFiles(local, remote)) {
    const newer = time(remote) > time(local) ? remote : local;
    return { use: newer, fromServer: false, push: false, other: undefined };
  }
  if (time(remote) > time(local)) return { use: remote, fromServer: true, push: false, other: local };
  return { use: local, fromServer: false, push: true, other: remote };
}
