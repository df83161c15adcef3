import { describe, expect, it } from 'vitest';
import type { CheckSummary } from '../../../sandbox-server/contract/classroom.ts';
import { attemptsOf, changedFiles, languageOfPath } from './attempt-diff.ts';

describe('comparing two attempts', () => {
  it('lists changed files first, then added, removed and kept ones', () => {
    expect(changedFiles({ 'main.py': 'a', 'util.py': 'x', 'old.txt': '' }, { 'main.py': 'b', 'util.py': 'x', 'new.sh': 'echo' })).toEqual([
      { path: 'main.py', change: 'changed' },
      { path: 'new.sh', change: 'added' },
      { path: 'old.txt', change: 'removed' },
      { path: 'util.py', change: 'same' },
    ]);
  });

  it("numbers one student's attempts at one exercise, oldest first", () => {
    const check = (id: string, userId: string, exercise: string, checkedAt: string): CheckSummary => ({ id, userId, exercise, status: 'fail', score: 0, maxScore: 1, checkedAt });
    const checks = [
      check('3', 'a', 'x', '2026-12-01T10:03:00.000Z'),
      check('1', 'a', 'x', '2026-12-01T10:01:00.000Z'),
      check('2', 'b', 'x', '2026-12-01T10:02:00.000Z'),
      check('4', 'a', 'y', '2026-12-01T10:04:00.000Z'),
    ];
    expect(attemptsOf(checks, 'a', 'x').map((c) => [c.id, c.number])).toEqual([
      ['1', 1],
      ['3', 2],
    ]);
  });

  it('highlights files by their names', () => {
    expect(['Dockerfile', 'app/main.py', 'compose.yaml', 'commands.sh', 'notes.txt'].map(languageOfPath)).toEqual(['dockerfile', 'python', 'yaml', 'shell', 'plaintext']);
  });
});
