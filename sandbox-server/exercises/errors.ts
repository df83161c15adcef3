import type { z } from 'zod';

/** One problem in an exercise folder: the file it is in, the frontmatter field when there is one, and what is wrong. */
export interface ExerciseError {
  file: string;
  field?: string;
  message: string;
}

/** One line for a terminal: `file: field "x": message`. */
export function formatExerciseError(error: ExerciseError): string {
  return error.field ? `${error.file}: field "${error.field}": ${error.message}` : `${error.file}: ${error.message}`;
}

/** `files[0].path` from a zod issue path. */
export function fieldName(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** Edit distance, to suggest the field a misspelled one meant. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = row[j] ?? 0;
      row[j] = Math.min(next + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1));
      prev = next;
    }
  }
  return row[b.length] ?? 0;
}

/** The closest known name within two edits, if any. */
export function suggest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = distance(name, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

/** Turns zod issues on frontmatter into errors naming the file and the field, one per problem. */
export function issuesToErrors(
  file: string,
  issues: readonly z.core.$ZodIssue[],
  knownKeys: (path: readonly PropertyKey[]) => readonly string[],
): ExerciseError[] {
  const errors: ExerciseError[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const known = knownKeys(issue.path);
        const hint = suggest(key, known);
        errors.push({
          file,
          field: fieldName([...issue.path, key]),
          message: hint ? `unknown field; did you mean "${hint}"?` : `unknown field; known fields are ${known.join(', ')}`,
        });
      }
      continue;
    }
    const field = fieldName(issue.path) || undefined;
    let message = issue.message;
    if (issue.code === 'invalid_value') message = `expected one of ${issue.values.map(String).join(', ')}`;
    else if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) message = 'required field is missing';
    else if (issue.code === 'invalid_type') message = issue.message.replace(/^Invalid input: /, '');
    errors.push(field ? { file, field, message } : { file, message });
  }
  return errors;
}
