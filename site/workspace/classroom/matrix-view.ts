import type { ClassMatrix } from '../../../sandbox-server/contract/classroom.ts';
import { el } from './dom.ts';
import { exerciseViews, matrixRows, stuckLines } from './matrix-model.ts';

/** What the class view needs to name things and act on them. */
export interface MatrixActions {
  title(slug: string): string;
  time(iso: string): string;
  /** A cell with attempts was chosen: show that student's history on that exercise. */
  openHistory(userId: string, name: string, exercise: string): void;
  /** The exercise's row of actions: regrade, exports. */
  exerciseActions(exercise: string): (Node | string)[];
}

/** Draws the roster × exercises table into `host`: one row per student, a cell per exercise. */
export function drawMatrix(host: HTMLElement, matrix: ClassMatrix, act: Pick<MatrixActions, 'title' | 'openHistory'>): void {
  if (matrix.students.length === 0) {
    host.replaceChildren(el('p', 'dy-classroom__empty', 'No students yet: they appear here as they join by the link.'));
    return;
  }
  const head = el('tr', '', el('th', '', 'Student'));
  for (const slug of matrix.exercises) {
    const th = el('th', '', act.title(slug));
    th.scope = 'col';
    head.append(th);
  }
  if (matrix.exercises.length === 0) head.append(el('th', '', 'Exercises'));
  const body = el('tbody');
  for (const row of matrixRows(matrix)) {
    const name = el('th', '', row.name, row.stuck ? el('span', 'dy-tag dy-tag--stuck', 'stuck') : null);
    name.scope = 'row';
    const tr = el('tr', '', name);
    tr.dataset.student = row.name;
    for (const cell of row.cells) {
      const td = el('td', 'dy-cell');
      td.dataset.state = cell.state;
      td.dataset.exercise = cell.exercise;
      if (cell.stuck) td.dataset.stuck = 'true';
      if (cell.attempts === 0) {
        td.append(el('span', 'dy-cell__label', cell.label));
      } else {
        const open = el('button', 'dy-cell__open', el('span', 'dy-cell__label', cell.label), el('span', 'dy-cell__detail', cell.detail));
        open.type = 'button';
        open.setAttribute('aria-label', `${row.name}, ${act.title(cell.exercise)}: ${cell.label}, ${cell.detail}. Show the attempts`);
        open.addEventListener('click', () => act.openHistory(row.userId, row.name, cell.exercise));
        td.append(open);
      }
      tr.append(td);
    }
    if (matrix.exercises.length === 0) tr.append(el('td', 'dy-cell', 'No Check yet'));
    body.append(tr);
  }
  const table = el('table', 'dy-matrix', el('caption', '', 'Each student × each exercise they Checked'), el('thead', '', head), body);
  host.replaceChildren(table);
}

/** Draws who is stuck now into `list` (or says nobody is). */
export function drawStuck(list: HTMLElement, matrix: ClassMatrix, act: Pick<MatrixActions, 'title' | 'time'>): void {
  const lines = stuckLines(matrix, act.title, act.time);
  list.replaceChildren(...(lines.length === 0 ? [el('li', 'dy-classroom__empty', 'Nobody is stuck right now.')] : lines.map((line) => el('li', 'dy-stuck', line))));
}

/** Draws each exercise's pass rate, the check that fails most, and its actions into `host`. */
export function drawExercises(host: HTMLElement, matrix: ClassMatrix, act: Pick<MatrixActions, 'title' | 'exerciseActions'>): void {
  const views = exerciseViews(matrix);
  if (views.length === 0) {
    host.replaceChildren(el('p', 'dy-classroom__empty', 'No exercise Checked yet.'));
    return;
  }
  const head = el('tr', '', el('th', '', 'Exercise'), el('th', '', 'Pass rate'), el('th', '', 'Check that fails most'), el('th', '', 'Grades'));
  const body = el('tbody');
  for (const view of views) {
    const tr = el('tr', '', el('th', '', act.title(view.exercise)), el('td', '', view.passRate), el('td', '', view.mostFailed), el('td', '', el('div', 'dy-classroom__actions', ...act.exerciseActions(view.exercise))));
    tr.dataset.exercise = view.exercise;
    body.append(tr);
  }
  host.replaceChildren(el('table', 'dy-matrix dy-matrix--exercises', el('thead', '', head), body));
}
