import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gradebookCsv } from './csv.ts';
import type { GradeResult } from './grade-batch.ts';
import { buildGradebook, type Gradebook } from './gradebook.ts';
import { gradebookJunit } from './junit.ts';

/** Writes a file whole or not at all (temp file, then rename). */
function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** Writes `<student>.json` per student, gradebook.csv, gradebook.json and junit.xml into `outDir`. */
export function writeGradebook(outDir: string, exercise: string, results: readonly GradeResult[], opts: { maxScore?: number; now?: Date } = {}): Gradebook {
  mkdirSync(outDir, { recursive: true });
  const book = buildGradebook(exercise, results, opts);
  for (const r of results) writeAtomic(join(outDir, `${r.student}.json`), `${JSON.stringify(r.verdict, null, 2)}\n`);
  writeAtomic(join(outDir, 'gradebook.csv'), gradebookCsv(book.rows));
  writeAtomic(join(outDir, 'gradebook.json'), `${JSON.stringify(book, null, 2)}\n`);
  writeAtomic(join(outDir, 'junit.xml'), gradebookJunit(exercise, results));
  return book;
}
