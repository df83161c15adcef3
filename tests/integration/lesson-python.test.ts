import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox-server/docker/driver.ts';
import { parseInfo } from '../support/runnable-blocks.ts';
import { LessonRunner, runnableLessons } from '../support/lessons.ts';

/**
 * Every Python example a lesson marks runnable (```python runnable) works: each block runs
 * as a program of its own in a real python sandbox (no network, user 1000, read-only root)
 * and must exit with code 0 within BLOCK_SECONDS. The blocks of one lesson share a sandbox
 * and run in order.
 */

/** Longest a single example may run; the examples themselves sleep a second or two at most. */
const BLOCK_SECONDS = 15;
const PYTHON_LANGS = ['python', 'py', 'python3'];

interface PythonBlock {
  /** Position among the lesson's runnable Python blocks, from 0. */
  index: number;
  /** 1-based line of the opening fence. */
  line: number;
  code: string;
}

/** The ```python runnable blocks of an MDX text, in order; fences inside other fences are not blocks. */
function extractPythonBlocks(source: string): PythonBlock[] {
  const lines = source.split(/\r?\n/);
  const blocks: PythonBlock[] = [];
  let i = 0;
  if (lines[0]?.trim() === '---') {
    const end = lines.findIndex((l, n) => n > 0 && l.trim() === '---');
    i = end > 0 ? end + 1 : 0;
  }
  while (i < lines.length) {
    const open = /^( {0,3})(`{3,}|~{3,})(.*)$/.exec(lines[i] ?? '');
    if (!open || (open[2]![0] === '`' && open[3]!.includes('`'))) {
      i++;
      continue;
    }
    const [, indent = '', fence = '', info = ''] = open;
    const close = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !close.test(lines[j] ?? ''); j++) {
      body.push((lines[j] ?? '').replace(new RegExp(`^ {0,${indent.length}}`), ''));
    }
    const { lang, meta } = parseInfo(info);
    if (PYTHON_LANGS.includes(lang) && meta.includes('runnable')) blocks.push({ index: blocks.length, line: i + 1, code: body.join('\n') + '\n' });
    i = j + 1;
  }
  return blocks;
}

const lessons = runnableLessons(extractPythonBlocks, (blocks) => blocks.length).map(({ file, found }) => ({ file, blocks: found }));

interface BlockOutcome {
  block: PythonBlock;
  exitCode: number;
  stdout: string;
  stderr: string;
  seconds: number;
}

const runner = new LessonRunner('python');
let outcomes = new Map<string, BlockOutcome[] | Error>();

/**
 * Writes the block to /work/example.py and runs it under `timeout`, so an example that hangs
 * is ended inside the sandbox. Exit 124 (or 137 after the grace second) means it ran too long.
 */
const RUN_BLOCK = `printf '%s' "$1" > /work/example.py && exec timeout -k 2 ${BLOCK_SECONDS} python3 /work/example.py`;

async function runLesson(sandbox: Sandbox, blocks: PythonBlock[]): Promise<BlockOutcome[]> {
  const results: BlockOutcome[] = [];
  for (const block of blocks) {
    const started = Date.now();
    const r = await runner.driver.run(sandbox, ['bash', '-c', RUN_BLOCK, 'example', block.code], { timeoutMs: (BLOCK_SECONDS + 30) * 1000 });
    results.push({ block, ...r, seconds: (Date.now() - started) / 1000 });
    if (r.exitCode !== 0) break;
  }
  return results;
}

/** Why a block failed: the file, the block and what it printed. */
function describeFailure(file: string, o: BlockOutcome): string {
  const why = o.exitCode === 124 || o.exitCode === 137 ? `did not finish within ${BLOCK_SECONDS} s` : `exited with code ${o.exitCode}`;
  return [
    `${file}: python runnable block ${o.block.index} (line ${o.block.line}) ${why}`,
    o.block.code,
    `--- stdout ---\n${o.stdout}`,
    `--- stderr ---\n${o.stderr}`,
  ].join('\n');
}

describe('runnable Python examples', () => {
  beforeAll(async () => {
    outcomes = await runner.runAll(lessons, (sandbox, l) => runLesson(sandbox, l.blocks));
  }, 900_000);

  afterAll(() => runner.removeAll());

  it('finds lessons with runnable Python examples', () => {
    expect(lessons.length).toBeGreaterThan(0);
  });

  it('reads python runnable fences, and only those', () => {
    const md = ['---', 'title: x', '---', '```python runnable', 'print(1)', '```', '```python', 'print(2)', '```', '```sh runnable', 'echo 3', '```', '````md', '```python runnable', 'print(4)', '```', '````'].join('\n');
    expect(extractPythonBlocks(md)).toEqual([{ index: 0, line: 4, code: 'print(1)\n' }]);
  });

  it.each(lessons.map((l) => [l.file, l] as const))('%s', (file, l) => {
    const o = outcomes.get(file);
    if (o instanceof Error) throw new Error(`${file}: the python sandbox failed: ${o.message}`);
    expect(o, `${file} did not run`).toBeDefined();
    for (const r of o!) {
      if (r.exitCode !== 0) throw new Error(describeFailure(file, r));
      // DOCKYARD_LESSON_OUTPUT=1 prints what every block printed, to check a lesson's text against it.
      if (process.env.DOCKYARD_LESSON_OUTPUT) console.log(`${file} block ${r.block.index} (line ${r.block.line}), ${r.seconds.toFixed(1)} s:\n${r.stdout}${r.stderr ? `--- stderr ---\n${r.stderr}` : ''}`);
    }
    expect(o!.length, `${file}: every block should have run`).toBe(l.blocks.length);
    console.log(`${file}: ${o!.length} Python examples in ${o!.reduce((s, r) => s + r.seconds, 0).toFixed(1)} s`);
  });
});
