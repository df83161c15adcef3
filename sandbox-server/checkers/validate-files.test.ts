import { describe, expect, it } from 'vitest';
import { FILE_LIMITS, validateFiles } from './validate-files.ts';

describe('validateFiles', () => {
  it('accepts ordinary files, including sub-folders', () => {
    expect(validateFiles({ 'main.py': 'x = 1', 'pkg/util.py': '', 'pkg/__init__.py': '' })).toEqual({ ok: true });
  });

  it.each([
    ['../evil.py'],
    ['a/../../b.py'],
    ['..'],
    ['/etc/passwd'],
    ['C:/x.py'],
    ['a\\b.py'],
    ['nul\0.py'],
    [''],
    ['a//b.py'],
    ['./a.py'],
    ['bad\nname.py'],
  ])('rejects the name %j', (name) => {
    expect(validateFiles({ [name]: 'x' }).ok).toBe(false);
  });

  it('rejects more than 20 files', () => {
    const files = Object.fromEntries(Array.from({ length: FILE_LIMITS.maxFiles + 1 }, (_, i) => [`f${i}.py`, '']));
    expect(validateFiles(files)).toMatchObject({ ok: false, error: expect.stringMatching(/too many files/) });
    delete files['f0.py'];
    expect(validateFiles(files)).toEqual({ ok: true });
  });

  it('rejects a file over 64 KiB (in UTF-8 bytes) and accepts one at the limit', () => {
    expect(validateFiles({ 'a.py': 'x'.repeat(FILE_LIMITS.maxBytes) })).toEqual({ ok: true });
    expect(validateFiles({ 'a.py': 'é'.repeat(FILE_LIMITS.maxBytes / 2 + 1) }).ok).toBe(false);
  });

  it('rejects NUL in content, no files, non-text content, and a name that is also a folder', () => {
    expect(validateFiles({ 'a.py': 'x\0y' }).ok).toBe(false);
    expect(validateFiles({}).ok).toBe(false);
    expect(validateFiles({ 'a.py': 1 as unknown as string }).ok).toBe(false);
    expect(validateFiles({ a: '', 'a/b.py': '' }).ok).toBe(false);
  });
});
