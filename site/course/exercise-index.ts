import { loadExercises } from '../../sandbox-server/exercises/load.ts';

/** What a lesson page shows of an exercise: read once per build from exercises/. */
export interface ExerciseSummary {
  slug: string;
  title: string;
  summary: string;
  kind: string;
  module: string;
  difficulty: string;
}

let cache: Map<string, ExerciseSummary> | undefined;

/** The course's exercises by slug (the build has already failed on broken ones). */
export function exerciseIndex(root = 'exercises'): Map<string, ExerciseSummary> {
  cache ??= new Map(
    loadExercises(root).exercises.map((e) => [
      e.slug,
      {
        slug: e.slug,
        title: e.frontmatter.title,
        summary: e.frontmatter.summary,
        kind: e.frontmatter.kind,
        module: e.frontmatter.module,
        difficulty: e.frontmatter.difficulty,
      },
    ]),
  );
  return cache;
}
