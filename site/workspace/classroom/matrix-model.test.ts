import { describe, expect, it } from 'vitest';
import type { ClassMatrix } from '../../../sandbox-server/contract/classroom.ts';
import { exerciseViews, matrixRows, stuckLines } from './matrix-model.ts';

const at = '2026-12-01T10:42:00.000Z';
const matrix: ClassMatrix = {
  students: [
    { userId: 'a', displayName: 'Ada' },
    { userId: 'b', displayName: 'Bob' },
    { userId: 'c', displayName: 'Cy' },
  ],
  exercises: ['asyncio-gather', 'volumes-named'],
  cells: {
    a: { 'asyncio-gather': { state: 'passed', attempts: 1, bestScore: 3, maxScore: 3, failedSincePass: 0, lastAt: at } },
    b: {
      'asyncio-gather': { state: 'tried', attempts: 3, bestScore: 1, maxScore: 3, failedSincePass: 3, lastAt: at },
      'volumes-named': { state: 'tried', attempts: 1, bestScore: 0, maxScore: 2, failedSincePass: 1, lastAt: at },
    },
  },
  stuck: [{ userId: 'b', exercise: 'asyncio-gather', failedChecks: 3, lastAt: at }],
  perExercise: {
    'asyncio-gather': { tried: 2, passed: 1, passRate: 0.5, mostFailedCheck: { name: 'runs concurrently', failures: 3 } },
    'volumes-named': { tried: 1, passed: 0, passRate: 0, mostFailedCheck: null },
  },
};

describe('the class matrix as the instructor sees it', () => {
  it('gives every student a cell per exercise: passed, tried with attempts, or not started', () => {
    const rows = matrixRows(matrix);
    expect(rows.map((r) => r.name)).toEqual(['Ada', 'Bob', 'Cy']);
    expect(rows[0]!.cells.map((c) => [c.state, c.detail])).toEqual([
      ['passed', '1 attempt · 3/3'],
      ['not-started', ''],
    ]);
    expect(rows[1]!.cells[0]).toMatchObject({ state: 'tried', label: 'Tried', detail: '3 attempts · 1/3', stuck: true });
    expect(rows[1]!.cells[1]!.stuck).toBe(false);
    expect(rows.map((r) => r.stuck)).toEqual([false, true, false]);
    expect(rows[2]!.cells.every((c) => c.label === 'Not started' && c.attempts === 0)).toBe(true);
  });

  it('says each exercise\'s pass rate and the check that fails most', () => {
    expect(exerciseViews(matrix)).toEqual([
      { exercise: 'asyncio-gather', passRate: '1 of 2 passed (50%)', mostFailed: 'runs concurrently: 3 failures' },
      { exercise: 'volumes-named', passRate: '0 of 1 passed (0%)', mostFailed: 'no check failed' },
    ]);
  });

  it('names who is stuck, on what, since when', () => {
    expect(stuckLines(matrix, (s) => s.toUpperCase(), () => '10:42')).toEqual(['Bob: ASYNCIO-GATHER, 3 failed Checks, the latest at 10:42']);
  });
});
