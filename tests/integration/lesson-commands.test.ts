import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEngine } from '../../sandbox-server/docker/engine.ts';
import { SandboxDriver, type Sandbox } from '../../sandbox-server/docker/driver.ts';
import { lastStep, lessonScript, readLessonRun, splitSteps, type LessonRun } from '../../sandbox-server/lessons/runnable-blocks.ts';

/**
 * Every runnable block of every lesson works: each lesson's blocks run in order, in one
 * shell session, in a fresh docker sandbox of its own, and every command succeeds.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const contentDir = join(root, 'content');
/** Lessons run at once; each has a sandbox with its own engine. DOCKYARD_LESSON_PARALLEL overrides. */
const PARALLEL = Number(process.env.DOCKYARD_LESSON_PARALLEL) || 2;
const LESSON_TIMEOUT_MS = 240_000;

function lessonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return lessonFiles(path);
    return /\.mdx?$/.test(e.name) ? [path] : [];
  });
}

/** DOCKYARD_LESSONS=content/volumes,content/images/layers runs only the lessons whose path contains one of these. */
const only = (process.env.DOCKYARD_LESSONS ?? '').split(',').map((s) => s.trim()).filter(Boolean);

const lessons = lessonFiles(contentDir)
  .filter((path) => only.length === 0 || only.some((part) => relative(root, path).includes(part)))
  .map((path) => ({ file: relative(root, path), run: readLessonRun(readFileSync(path, 'utf8')) }))
  .filter((l) => l.run.blocks.length > 0)
  .sort((a, b) => a.file.localeCompare(b.file));

interface Outcome {
  exitCode: number;
  stdout: string;
  stderr: string;
  ms: number;
}

const driver = new SandboxDriver(connectEngine());
const sandboxes = new Set<Sandbox>();
const outcomes = new Map<string, Outcome | Error>();

async function runLesson(run: LessonRun): Promise<Outcome> {
  const started = Date.now();
  const sandbox = await driver.create('docker');
  sandboxes.add(sandbox);
  try {
    const r = await driver.run(sandbox, ['bash', '-lc', lessonScript(run)], { timeoutMs: LESSON_TIMEOUT_MS });
    return { ...r, ms: Date.now() - started };
  } finally {
    // Freed as soon as the lesson is done; afterAll removes whatever is left.
    await driver.remove(sandbox).then(() => sandboxes.delete(sandbox)).catch(() => {});
  }
}

/** Why a lesson failed: the file, the block and what it printed. */
function describeFailure(file: string, run: LessonRun, o: Outcome): string {
  const step = lastStep(o.stdout) ?? '(no step started)';
  const index = /^block-(\d+)$/.exec(step)?.[1];
  const block = index === undefined ? undefined : run.blocks[Number(index)];
  return [
    `${file}: ${step === 'done' ? `exit ${o.exitCode} after the last block` : `${step} failed (exit ${o.exitCode})`}`,
    block ? `runnable block ${block.index} (line ${block.line}):\n${block.code}` : '',
    `--- stdout ---\n${splitSteps(o.stdout).get(step) ?? o.stdout}`,
    `--- stderr ---\n${splitSteps(o.stderr).get(step) ?? o.stderr}`,
  ]
    .filter(Boolean)
    .join('\n');
}

describe('runnable lesson blocks', () => {
  beforeAll(async () => {
    const queue = [...lessons];
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        for (let l = queue.shift(); l; l = queue.shift()) {
          outcomes.set(l.file, await runLesson(l.run).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err)))));
        }
      }),
    );
  }, 900_000);

  afterAll(async () => {
    await Promise.all([...sandboxes].map((s) => driver.remove(s).catch(() => {})));
  });

  it('finds lessons with runnable blocks', () => {
    expect(lessons.length).toBeGreaterThan(0);
  });

  it.each(lessons.map((l) => [l.file, l] as const))('%s', (file, l) => {
    const o = outcomes.get(file);
    if (o instanceof Error) throw new Error(`${file}: the sandbox failed: ${o.message}`);
    expect(o, `${file} did not run`).toBeDefined();
    if (o!.exitCode !== 0 || lastStep(o!.stdout) !== 'done') throw new Error(describeFailure(file, l.run, o!));
    console.log(`${file}: ${l.run.blocks.length} blocks in ${(o!.ms / 1000).toFixed(1)}s`);
    // DOCKYARD_LESSON_OUTPUT=1 prints what every block printed, to check a lesson's text against it.
    if (process.env.DOCKYARD_LESSON_OUTPUT) console.log(`--- stdout ---\n${o!.stdout}\n--- stderr ---\n${o!.stderr}`);
  });
});
