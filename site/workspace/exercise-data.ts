import { loadExercises, type Exercise } from '../../sandbox-server/exercises/load.ts';
import { fileLanguage } from '../../sandbox-server/exercises/schema.ts';
import type { ExercisePageData } from '../../sandbox-server/contract/exercise-page.ts';

export type { ExercisePageData };

let cache: Map<string, Exercise> | undefined;

/** The exercise `slug` as the page embeds it (with no files for a terminal exercise that has none), or undefined when there is no such exercise. */
export function exercisePageData(slug: string, root = 'exercises'): ExercisePageData | undefined {
  cache ??= new Map(loadExercises(root).exercises.map((e) => [e.slug, e]));
  const exercise = cache.get(slug);
  if (!exercise) return undefined;
  const fm = exercise.frontmatter;
  return {
    slug,
    title: fm.title,
    kind: fm.kind,
    module: fm.module,
    files: fm.files.map((f) => ({
      path: f.path,
      language: fileLanguage(f),
      readOnly: f.readOnly,
      starter: exercise.starter[f.path] ?? '',
    })),
    solution: Object.fromEntries(fm.files.filter((f) => !f.readOnly).map((f) => [f.path, exercise.solution[f.path] ?? ''])),
  };
}

/** JSON that is safe inside a <script type="application/json"> element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}
