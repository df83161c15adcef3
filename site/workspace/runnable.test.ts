import { describe, expect, it } from 'vitest';
import { commandToType } from './runnable.ts';
import { runnableBlocks } from './runnable-plugin.mjs';

describe('commandToType', () => {
  it('types each line followed by Enter, without blank edges or trailing spaces', () => {
    expect(commandToType(['docker run --rm busybox echo hi'])).toBe('docker run --rm busybox echo hi\r');
    expect(commandToType(['', 'docker volume create kept  ', 'docker volume ls', ' '])).toBe('docker volume create kept\rdocker volume ls\r');
    expect(commandToType(['', '  '])).toBe('');
  });
});

describe('runnableBlocks (Expressive Code plugin)', () => {
  const render = (meta: string) => {
    const renderData = { blockAst: { type: 'element', tagName: 'figure', properties: { className: ['frame'] } } };
    runnableBlocks().hooks.postprocessRenderedBlock({ codeBlock: { meta }, renderData });
    return renderData.blockAst.properties as Record<string, unknown>;
  };
  it('marks blocks whose meta says runnable, and only those', () => {
    expect(render('runnable')).toEqual({ className: ['frame'], 'data-dy-runnable': '' });
    expect(render('title="x" runnable')).toHaveProperty('data-dy-runnable');
    expect(render('')).not.toHaveProperty('data-dy-runnable');
    expect(render('title="not-runnable-here"')).not.toHaveProperty('data-dy-runnable');
  });
});
