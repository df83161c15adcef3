import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSubmissions } from './read-submissions.ts';

let root: string;
const put = (path: string, content: string | Buffer) => {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), content);
};
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('readSubmissions', () => {
  it('reads one submission per student folder, in order, with nested paths and clutter ignored', () => {
    root = mkdtempSync(join(tmpdir(), 'grading-'));
    put('zoe/main.py', 'print(1)');
    put('amy/main.py', 'a');
    put('amy/pkg/util.py', 'u');
    put('amy/__pycache__/main.cpython-312.pyc', Buffer.from([0, 1, 2]));
    put('amy/.DS_Store', Buffer.from([0xff]));
    put('.git/HEAD', 'x');
    put('notes.txt', 'not a student');
    mkdirSync(join(root, 'empty'));
    const { submissions, skipped } = readSubmissions(root);
    expect(skipped).toEqual(['notes.txt']);
    expect(submissions).toEqual([
      { student: 'amy', files: { 'main.py': 'a', 'pkg/util.py': 'u' } },
      { student: 'empty', files: {} },
      { student: 'zoe', files: { 'main.py': 'print(1)' } },
    ]);
  });

  it('turns unusable folders into problems instead of throwing', () => {
    root = mkdtempSync(join(tmpdir(), 'grading-'));
    put('big/main.py', 'x'.repeat(65 * 1024));
    for (let i = 0; i < 21; i++) put(`many/f${i}.py`, '');
    put('binary/main.py', Buffer.from([0xc3, 0x28]));
    put('linky/real.py', 'x');
    symlinkSync('/etc/passwd', join(root, 'linky', 'main.py'));
    const by = Object.fromEntries(readSubmissions(root).submissions.map((s) => [s.student, 'problem' in s ? s.problem : 'ok']));
    expect(by).toEqual({
      big: expect.stringContaining('66560 bytes > 65536'),
      binary: expect.stringContaining('not UTF-8'),
      linky: expect.stringContaining('symbolic links'),
      many: expect.stringContaining('too many files'),
    });
  });

  it('refuses a student folder that would overwrite gradebook.json', () => {
    root = mkdtempSync(join(tmpdir(), 'grading-'));
    put('Gradebook/main.py', '');
    expect(() => readSubmissions(root)).toThrow(/gradebook/);
  });
});
