import { describe, expect, it } from 'vitest';
import { splitFrontmatter, splitHints } from './markdown.ts';

describe('splitFrontmatter', () => {
  it('splits YAML from the body, with CRLF line ends', () => {
    expect(splitFrontmatter('---\r\ntitle: A\r\n---\r\nBody\r\n')).toEqual({ yaml: 'title: A', body: 'Body\n' });
  });
  it('gives null when there is no frontmatter', () => {
    expect(splitFrontmatter('# Title\n').yaml).toBeNull();
  });
});

describe('splitHints', () => {
  it('gives null hints without a Hints section', () => {
    expect(splitHints('Do it.\n')).toEqual({ instructions: 'Do it.', hints: null });
  });
  it('ignores a Hints heading inside a code fence', () => {
    expect(splitHints('~~~\n## Hints\n- no\n~~~\n').hints).toBeNull();
  });
  it('keeps list item continuation lines, dedented', () => {
    expect(splitHints('Task\n\n## Hints\n\n- one\n  more\n- two\n').hints).toEqual(['one\nmore', 'two']);
  });
});
