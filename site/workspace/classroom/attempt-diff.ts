import type { CheckSummary } from '../../../sandbox-server/contract/classroom.ts';

/** How one file differs between two attempts. */
export interface FileChange {
  path: string;
  change: 'added' | 'removed' | 'changed' | 'same';
}

/** The files of two attempts side by side: which were added, removed, changed or kept; changed ones first. */
export function changedFiles(before: Record<string, string>, after: Record<string, string>): FileChange[] {
  const paths = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const order = { changed: 0, added: 1, removed: 2, same: 3 } as const;
  return paths
    .map((path): FileChange => {
      if (!(path in before)) return { path, change: 'added' };
      if (!(path in after)) return { path, change: 'removed' };
      return { path, change: before[path] === after[path] ? 'same' : 'changed' };
    })
    .sort((a, b) => order[a.change] - order[b.change] || a.path.localeCompare(b.path));
}

/** One student's attempts at one exercise, oldest first, numbered from 1. */
export function attemptsOf(checks: readonly CheckSummary[], userId: string, exercise: string): (CheckSummary & { number: number })[] {
  return checks
    .filter((c) => c.userId === userId && c.exercise === exercise)
    .sort((a, b) => a.checkedAt.localeCompare(b.checkedAt))
    .map((c, i) => ({ ...c, number: i + 1 }));
}

/** The editor language of a file, by its name (the course's four, else plain text). */
export function languageOfPath(path: string): string {
  const name = path.split('/').at(-1) ?? path;
  if (/^Dockerfile(\..*)?$|\.dockerfile$/i.test(name)) return 'dockerfile';
  if (/\.py$/.test(name)) return 'python';
  if (/\.ya?ml$/.test(name)) return 'yaml';
  if (/\.sh$/.test(name)) return 'shell';
  return 'plaintext';
}
