import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FILE_LIMITS } from '../checkers/validate-files.ts';
import type { Submission } from './grade-batch.ts';

/** Clutter that archivers and Python leave behind, never part of a submission. */
export const IGNORED_NAMES: ReadonlySet<string> = new Set(['.DS_Store', 'Thumbs.db', '__MACOSX', '__pycache__']);

/** Student folder names that would collide with the gradebook's own output files. */
export const RESERVED_STUDENTS: ReadonlySet<string> = new Set(['gradebook']);

/** A submissions folder: one submission per student folder, in student order, and what was skipped. */
export interface SubmissionsRead {
  submissions: Submission[];
  /** Top-level entries that are not student folders. */
  skipped: string[];
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const utf8 = new TextDecoder('utf-8', { fatal: true });

class Refused extends Error {}

/** Reads a student folder's files by forward-slash path; throws Refused with the reason a folder is unusable. */
function readStudent(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  let count = 0;
  const walk = (dir: string, prefix: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true }).sort(byName);
    } catch (err) {
      throw new Refused(`${prefix || '.'}: folder cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    for (const entry of entries) {
      if (IGNORED_NAMES.has(entry.name)) continue;
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      const path = join(dir, entry.name);
      const stat = lstatSync(path);
      if (stat.isSymbolicLink()) throw new Refused(`${JSON.stringify(rel)}: symbolic links are not allowed`);
      if (stat.isDirectory()) {
        walk(path, rel);
        continue;
      }
      if (!stat.isFile()) throw new Refused(`${JSON.stringify(rel)}: not a regular file`);
      if (++count > FILE_LIMITS.maxFiles) throw new Refused(`too many files (more than ${FILE_LIMITS.maxFiles})`);
      if (stat.size > FILE_LIMITS.maxBytes) throw new Refused(`${JSON.stringify(rel)}: ${stat.size} bytes > ${FILE_LIMITS.maxBytes}`);
      let bytes: Buffer;
      try {
        bytes = readFileSync(path);
      } catch (err) {
        throw new Refused(`${JSON.stringify(rel)}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
      }
      try {
        files[rel] = utf8.decode(bytes);
      } catch {
        throw new Refused(`${JSON.stringify(rel)}: not UTF-8 text`);
      }
    }
  };
  walk(root, '');
  return files;
}

/**
 * Reads a submissions folder: each sub-folder is one student (its name the student id), its files
 * the submission. A folder that cannot be used becomes a submission with a `problem`, never a throw;
 * a missing root or a reserved student name throws.
 */
export function readSubmissions(root: string): SubmissionsRead {
  const submissions: Submission[] = [];
  const skipped: string[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true }).sort(byName)) {
    if (entry.name.startsWith('.') || IGNORED_NAMES.has(entry.name)) continue;
    if (!entry.isDirectory()) {
      skipped.push(entry.name);
      continue;
    }
    if (RESERVED_STUDENTS.has(entry.name.toLowerCase())) {
      throw new Error(`a student folder cannot be named ${entry.name}: it would overwrite the gradebook's own files`);
    }
    try {
      submissions.push({ student: entry.name, files: readStudent(join(root, entry.name)) });
    } catch (err) {
      if (!(err instanceof Refused)) throw err;
      submissions.push({ student: entry.name, problem: err.message });
    }
  }
  return { submissions, skipped };
}
