import { describe, expect, it } from 'vitest';
import { extractHidden, extractRunnableBlocks, isRunnableInfo, lastStep, lessonScript, readLessonRun, splitSteps, STEP_MARKER } from './runnable-blocks.ts';

const lesson = [
  '---',
  'title: Example',
  'description: "```sh runnable in frontmatter is not a block"',
  '---',
  '',
  'Some text.',
  '',
  '```sh runnable',
  'docker run --rm busybox echo one',
  '```',
  '',
  '```sh',
  'docker run -it busybox sh',
  '```',
  '',
  '```bash runnable',
  'NAME=web',
  'docker ps --filter "name=$NAME"',
  '```',
  '',
  '```js runnable',
  'console.log("not shell")',
  '```',
  '',
  '````md',
  '```sh runnable',
  'echo inside a markdown example',
  '```',
  '````',
  '',
  '~~~shell  runnable  title="x"',
  'echo tilde',
  '~~~',
].join('\n');

describe('extractRunnableBlocks', () => {
  it('finds only runnable shell blocks, in order, with their lines', () => {
    const blocks = extractRunnableBlocks(lesson);
    expect(blocks.map((b) => b.code)).toEqual(['docker run --rm busybox echo one', 'NAME=web\ndocker ps --filter "name=$NAME"', 'echo tilde']);
    expect(blocks.map((b) => b.index)).toEqual([0, 1, 2]);
    expect(blocks.map((b) => b.lang)).toEqual(['sh', 'bash', 'shell']);
    expect(blocks[0]?.line).toBe(8);
    expect(blocks[2]?.meta).toEqual(['runnable', 'title="x"']);
  });

  it('ignores a fence nested in a longer fence', () => {
    expect(extractRunnableBlocks(lesson).some((b) => b.code.includes('markdown example'))).toBe(false);
  });

  it('keeps blank lines inside a block and strips the fence indentation', () => {
    const blocks = extractRunnableBlocks('  ```sh runnable\n  echo a\n\n    echo b\n  ```\n');
    expect(blocks[0]?.code).toBe('echo a\n\n  echo b');
  });

  it('returns nothing for a lesson without runnable blocks', () => {
    expect(extractRunnableBlocks('# Title\n\n```sh\nls\n```\n')).toEqual([]);
  });

  it('handles CRLF line endings', () => {
    expect(extractRunnableBlocks('```sh runnable\r\necho hi\r\n```\r\n')[0]?.code).toBe('echo hi');
  });
});

describe('isRunnableInfo', () => {
  it.each([
    ['sh runnable', true],
    ['bash title="x" runnable', true],
    ['SH runnable', true],
    ['sh', false],
    ['sh not-runnable', false],
    ['python runnable', false],
    ['runnable', false],
  ])('%s → %s', (info, expected) => {
    expect(isRunnableInfo(info)).toBe(expected);
  });
});

describe('hidden setup and cleanup', () => {
  const src = 'x\n{/* runnable-setup\ndocker pull nginx\n*/}\n\n```sh runnable\necho a\n```\n{/* runnable-cleanup\ndocker rm -f web\n*/}\n{/* a plain comment */}\n';
  it('reads them from MDX comments', () => {
    expect(extractHidden(src)).toEqual({ setup: ['docker pull nginx'], cleanup: ['docker rm -f web'] });
    expect(readLessonRun(src).blocks).toHaveLength(1);
  });
});

describe('lessonScript', () => {
  it('runs setup, blocks and cleanup in order behind step markers', () => {
    const script = lessonScript(readLessonRun('{/* runnable-setup\nS=1\n*/}\n```sh runnable\necho $S\n```\n```sh runnable\necho two\n```\n'));
    const order = ['setup-0', 'S=1', 'block-0', 'echo $S', 'block-1', 'echo two', 'done'].map((s) => script.indexOf(s));
    expect(order.every((pos, i) => pos >= 0 && (i === 0 || pos > order[i - 1]!))).toBe(true);
    expect(script.startsWith('set -e\n')).toBe(true);
  });

  it('runs in one shell and stops at the failing block', async () => {
    const { spawnSync } = await import('node:child_process');
    const script = lessonScript(readLessonRun('```sh runnable\nX=kept\n```\n```sh runnable\necho "x=$X"\nfalse\necho unreachable\n```\n```sh runnable\necho never\n```\n'));
    const r = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(lastStep(r.stdout)).toBe('block-1');
    expect(splitSteps(r.stdout).get('block-1')).toContain('x=kept');
    expect(r.stdout).not.toContain('unreachable');
    expect(r.stdout).not.toContain('never');
  });
});

describe('splitSteps', () => {
  it('splits output by marker', () => {
    const out = `noise\n${STEP_MARKER} block-0\nA\n${STEP_MARKER} block-1\nB\nC\n${STEP_MARKER} done\n`;
    const steps = splitSteps(out);
    expect(steps.get('block-0')).toBe('A');
    expect(steps.get('block-1')).toBe('B\nC');
    expect(lastStep(out)).toBe('done');
  });
});
