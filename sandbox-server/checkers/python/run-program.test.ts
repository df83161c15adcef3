import { describe, expect, it } from 'vitest';
import type { Exercise } from '../../exercises/load.ts';
import { endMessage, runEntry } from './run-program.ts';

describe('runEntry', () => {
  it('starts the first editable Python file the exercise lists', () => {
    const fm = { files: [{ path: 'data.py', readOnly: true }, { path: 'app/run.py', readOnly: false }] };
    expect(runEntry({ frontmatter: fm } as unknown as Exercise, { 'data.py': '', 'app/run.py': '' })).toBe('app/run.py');
  });

  it('falls back to main.py, then to the first Python file, else nothing', () => {
    const none = { frontmatter: { files: [] } } as unknown as Exercise;
    expect(runEntry(none, { 'util.py': '', 'main.py': '' })).toBe('main.py');
    expect(runEntry(none, { 'b.py': '', 'a.py': '' })).toBe('a.py');
    expect(runEntry(none, { 'notes.txt': '' })).toBeUndefined();
  });
});

describe('endMessage', () => {
  it('says in plain words how a run ended', () => {
    expect(endMessage('exited', 0, 20_000)).toBe('The program finished.');
    expect(endMessage('exited', 1, 20_000)).toBe('The program exited with code 1.');
    expect(endMessage('timeout', null, 20_000)).toContain('20 seconds');
    expect(endMessage('output_limit', null, 20_000)).toContain('1 MiB');
  });
});

