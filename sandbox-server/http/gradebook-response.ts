import type { Context } from 'hono';
import { gradebookCsv } from '../grading/csv.ts';
import type { GradeResult } from '../grading/grade-batch.ts';
import { buildGradebook } from '../grading/gradebook.ts';
import { gradebookJunit } from '../grading/junit.ts';
import { ApiError } from './errors.ts';

/** The formats a gradebook is answered in. */
export type GradebookFormat = 'json' | 'csv' | 'junit';

/** The `?format=` of a gradebook request (json by default); 400 for anything else. */
export function gradebookFormat(c: Context): GradebookFormat {
  const format = c.req.query('format') ?? 'json';
  if (format !== 'json' && format !== 'csv' && format !== 'junit') {
    throw new ApiError(400, 'invalid_format', `format must be json, csv or junit, not ${JSON.stringify(format)}.`);
  }
  return format;
}

/** A gradebook answer in the documents `npm run grade` writes: JSON, CSV or JUnit XML. */
export function gradebookResponse(c: Context, exercise: string, results: readonly GradeResult[], format: GradebookFormat, maxScore?: number): Response {
  if (format === 'junit') return c.body(gradebookJunit(exercise, results), 200, { 'Content-Type': 'application/xml; charset=utf-8' });
  const book = buildGradebook(exercise, results, maxScore === undefined ? {} : { maxScore });
  if (format === 'csv') {
    return c.body(gradebookCsv(book.rows), 200, {
      'Content-Type': 'text/csv; charset=utf-8; header=present',
      'Content-Disposition': `attachment; filename="${exercise}-gradebook.csv"`,
    });
  }
  return c.json({ exercise, complete: book.complete, rows: book.rows, verdicts: book.verdicts });
}
