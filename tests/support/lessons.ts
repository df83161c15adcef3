import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectEngine } from '../../sandbox-server/docker/engine.ts';
import { SandboxDriver, type Sandbox, type SandboxKind } from '../../sandbox-server/docker/driver.ts';

/** What the lesson tests share: finding lessons with runnable blocks, and running them in fresh sandboxes. */

const root = fileURLToPath(new URL('../../', import.meta.url));
const contentDir = join(root, 'content');

/** Lessons run at once, each in a sandbox of its own. DOCKYARD_LESSON_PARALLEL overrides. */
export const LESSON_PARALLEL = Number(process.env.DOCKYARD_LESSON_PARALLEL) || 2;

function lessonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return lessonFiles(path);
    return /\.mdx?$/.test(e.name) ? [path] : [];
  });
}

/**
 * The lessons in content/ in which `read` finds something to run (`count` > 0), sorted by path.
 * DOCKYARD_LESSONS=content/volumes,content/images/layers keeps only the lessons whose path contains one of these.
 */
export function runnableLessons<T>(read: (source: string) => T, count: (found: T) => number): { file: string; found: T }[] {
  const only = (process.env.DOCKYARD_LESSONS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return lessonFiles(contentDir)
    .filter((path) => only.length === 0 || only.some((part) => relative(root, path).includes(part)))
    .map((path) => ({ file: relative(root, path), found: read(readFileSync(path, 'utf8')) }))
    .filter((l) => count(l.found) > 0)
    .sort((a, b) => a.file.localeCompare(b.file));
}

/** Runs lessons LESSON_PARALLEL at a time, each in a fresh sandbox of one kind that is removed as soon as it is done. */
export class LessonRunner {
  readonly driver = new SandboxDriver(connectEngine());
  private readonly sandboxes = new Set<Sandbox>();

  private readonly kind: SandboxKind;

  constructor(kind: SandboxKind) {
    this.kind = kind;
  }

  /** Every lesson's result, or the error that stopped it, by file. */
  async runAll<L extends { file: string }, R>(lessons: L[], run: (sandbox: Sandbox, lesson: L) => Promise<R>): Promise<Map<string, R | Error>> {
    const outcomes = new Map<string, R | Error>();
    const queue = [...lessons];
    await Promise.all(
      Array.from({ length: LESSON_PARALLEL }, async () => {
        for (let l = queue.shift(); l; l = queue.shift()) {
          outcomes.set(l.file, await this.inSandbox((s) => run(s, l!)).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err)))));
        }
      }),
    );
    return outcomes;
  }

  /** Removes whatever sandbox a failed or interrupted run left. */
  async removeAll(): Promise<void> {
    await Promise.all([...this.sandboxes].map((s) => this.driver.remove(s).catch(() => {})));
  }

  private async inSandbox<R>(fn: (sandbox: Sandbox) => Promise<R>): Promise<R> {
    const sandbox = await this.driver.create(this.kind);
    this.sandboxes.add(sandbox);
    try {
      return await fn(sandbox);
    } finally {
      await this.driver.remove(sandbox).then(() => this.sandboxes.delete(sandbox)).catch(() => {});
    }
  }
}
