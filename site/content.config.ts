import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { docsSchema } from '@astrojs/starlight/schema';
import { lessonFieldsFor } from './course/lesson-schema.ts';
import { formatExerciseError } from '../sandbox-server/exercises/errors.ts';
import { loadExercises } from '../sandbox-server/exercises/load.ts';

// Exercises are validated with the same schema the tools use: a broken one fails the build, naming file and field.
const { exercises, errors } = loadExercises('exercises');
if (errors.length > 0) {
  throw new Error(`Exercise errors:\n${errors.map(formatExerciseError).join('\n')}`);
}

/** Lessons live in the top-level content/ folder; files starting with _ are not pages. */
export const collections = {
  docs: defineCollection({
    loader: glob({ base: './content', pattern: '**/[^_]*.{md,mdx}' }),
    schema: docsSchema({ extend: lessonFieldsFor(exercises.map((e) => e.slug)) }),
  }),
};
