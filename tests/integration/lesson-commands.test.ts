import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox-server/docker/driver.ts';
import { lastStep, lessonScript, readLessonRun, splitSteps, type LessonRun } from '../support/runnable-blocks.ts';
import { LESSON_PARALLEL, LessonRunner, runnableLessons } from '../support/lessons.ts';

/**
 * Every runnable block of every lesson works: each lesson's blocks run in order, in one
 * shell session, in a fresh docker sandbox of its own, and every command succeeds.
 */

const LESSON_TIMEOUT_MS = 240_000;

const lessons = runnableLessons(readLessonRun, (run) => run.blocks.length).map(({ file, found }) => ({ file, run: found }));
/** Every lesson may take up to 2 minutes of its parallel lane (a busy machine; multi-stage builds compile Go). */
const RUN_ALL_TIMEOUT_MS = Math.max(900_000, Math.ceil(lessons.length / LESSON_PARALLEL) * 120_000);

interface Outcome {
  exitCode: number;
  stdout: string;
  stderr: string;
  ms: number;
}

const runner = new LessonRunner('docker');
let outcomes = new Map<string, Outcome | Error>();

async function runLesson(sandbox: Sandbox, run: LessonRun): Promise<Outcome> {
  const started = Date.now();
  const r = await runner.driver.run(sandbox, ['bash', '-lc', lessonScript(run)], { timeoutMs: LESSON_TIMEOUT_MS });
  return { ...r, ms: Date.now() - started };
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
    outcomes = await runner.runAll(lessons, (sandbox, l) => runLesson(sandbox, l.run));
  }, RUN_ALL_TIMEOUT_MS);

  afterAll(() => runner.removeAll());

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
