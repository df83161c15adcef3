import { describe, expect, it } from 'vitest';
import { commandToType, exampleCode } from './runnable.ts';
import { runnableBlocks } from './runnable-plugin.mjs';

describe('commandToType', () => {
  it('types each line followed by Enter, without blank edges or trailing spaces', () => {
    expect(commandToType(['docker run --rm busybox echo hi'])).toBe('docker run --rm busybox echo hi\r');
    expect(commandToType(['', 'docker volume create kept  ', 'docker volume ls', ' '])).toBe('docker volume create kept\rdocker volume ls\r');
    expect(commandToType(['', '  '])).toBe('');
  });

  it('hands a Python block to python3 as a here-document, indentation kept', () => {
    expect(commandToType(['import asyncio', '', 'async def main():', '    print("hi")', ''], 'python')).toBe(
      "python3 - <<'DOCKYARD_PY'\rimport asyncio\r\rasync def main():\r    print(\"hi\")\rDOCKYARD_PY\r",
    );
    expect(commandToType([' '], 'python')).toBe('');
  });
});

describe('exampleCode', () => {
  it('gives a Python example as a program, indentation kept, blank edges dropped', () => {
    expect(exampleCode(['', 'def f():', '    return 1  ', ''])).toBe('def f():\n    return 1\n');
    expect(exampleCode(['  '])).toBe('');
  });
});

describe('runnableBlocks (Expressive Code plugin)', () => {
  const render = (meta: string, language?: string) => {
    const renderData = { blockAst: { type: 'element', tagName: 'figure', properties: { className: ['frame'] } } };
    runnableBlocks().hooks.postprocessRenderedBlock({ codeBlock: { meta, language }, renderData });
    return renderData.blockAst.properties as Record<string, unknown>;
  };
  it('marks blocks whose meta says runnable, and only those', () => {
    expect(render('runnable')).toEqual({ className: ['frame'], 'data-dy-runnable': 'sh' });
    expect(render('title="x" runnable')).toHaveProperty('data-dy-runnable');
    expect(render('')).not.toHaveProperty('data-dy-runnable');
    expect(render('title="not-runnable-here"')).not.toHaveProperty('data-dy-runnable');
    expect(render('runnable', 'python')).toHaveProperty('data-dy-runnable', 'python');
  });
});
