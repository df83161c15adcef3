import type { Exercise } from './load.ts';

/**
 * The files a check sees: the starter, overlaid by what the student submitted, except
 * read-only files, which always come from the starter.
 */
export function submissionFiles(exercise: Exercise, submitted: Record<string, string>): Record<string, string> {
  const readOnly = new Set(exercise.frontmatter.files.filter((f) => f.readOnly).map((f) => f.path));
  const files: Record<string, string> = { ...exercise.starter };
  for (const [path, content] of Object.entries(submitted)) if (!readOnly.has(path)) files[path] = content;
  return files;
}
