import type { ClassMatrix, MatrixCell } from '../../../sandbox-server/contract/classroom.ts';

/** A cell's state as the view shows it: no cell means the student has not Checked the exercise. */
export type CellState = 'not-started' | 'tried' | 'passed';

/** One student × exercise cell, ready to draw. */
export interface CellView {
  exercise: string;
  state: CellState;
  /** "Passed", "Tried", "Not started". */
  label: string;
  /** "2 attempts · 3/3", empty when not started. */
  detail: string;
  attempts: number;
  stuck: boolean;
}

/** One row of the matrix: a student and their cells, in the matrix's exercise order. */
export interface RowView {
  userId: string;
  name: string;
  cells: CellView[];
  stuck: boolean;
}

/** How the class does on one exercise. */
export interface ExerciseView {
  exercise: string;
  /** "1 of 2 passed (50%)". */
  passRate: string;
  /** "gathers concurrently: 2 failures", or "none failed". */
  mostFailed: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A cell as the view shows it. */
export function cellView(exercise: string, cell: MatrixCell | undefined, stuck: boolean): CellView {
  if (!cell) return { exercise, state: 'not-started', label: 'Not started', detail: '', attempts: 0, stuck };
  const state: CellState = cell.state;
  return {
    exercise,
    state,
    label: state === 'passed' ? 'Passed' : 'Tried',
    detail: `${plural(cell.attempts, 'attempt')} · ${cell.bestScore}/${cell.maxScore}`,
    attempts: cell.attempts,
    stuck,
  };
}

/** The roster × exercises, row by row, with who is stuck marked. */
export function matrixRows(matrix: ClassMatrix): RowView[] {
  const stuck = new Set(matrix.stuck.map((s) => `${s.userId}\n${s.exercise}`));
  return matrix.students.map((student) => {
    const cells = matrix.exercises.map((exercise) =>
      cellView(exercise, matrix.cells[student.userId]?.[exercise], stuck.has(`${student.userId}\n${exercise}`)),
    );
    return { userId: student.userId, name: student.displayName, cells, stuck: cells.some((c) => c.stuck) };
  });
}

/** Each exercise's pass rate and the check that fails most, in words. */
export function exerciseViews(matrix: ClassMatrix): ExerciseView[] {
  return matrix.exercises.map((exercise) => {
    const stats = matrix.perExercise[exercise];
    if (!stats) return { exercise, passRate: 'nobody Checked it yet', mostFailed: '' };
    const percent = Math.round(stats.passRate * 100);
    const failed = stats.mostFailedCheck;
    return {
      exercise,
      passRate: `${stats.passed} of ${stats.tried} passed (${percent}%)`,
      mostFailed: failed ? `${failed.name}: ${plural(failed.failures, 'failure')}` : 'no check failed',
    };
  });
}

/** Who is stuck now, one line each: "Bob: asyncio-gather, 3 failed Checks, the latest at 10:42". */
export function stuckLines(matrix: ClassMatrix, title: (slug: string) => string, time: (iso: string) => string): string[] {
  const names = new Map(matrix.students.map((s) => [s.userId, s.displayName]));
  return matrix.stuck.map(
    (s) => `${names.get(s.userId) ?? 'A student'}: ${title(s.exercise)}, ${plural(s.failedChecks, 'failed Check')}, the latest at ${time(s.lastAt)}`,
  );
}
