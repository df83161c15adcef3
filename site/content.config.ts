import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { docsSchema } from '@astrojs/starlight/schema';
import { lessonFields } from './course/lesson-schema.ts';

/** Lessons live in the top-level content/ folder; files starting with _ are not pages. */
export const collections = {
  docs: defineCollection({
    loader: glob({ base: './content', pattern: '**/[^_]*.{md,mdx}' }),
    schema: docsSchema({ extend: lessonFields }),
  }),
};
