import { z } from 'astro/zod';

/** Dockyard's own lesson frontmatter, merged into Starlight's schema. */
export const lessonFields = z.object({
  sandbox: z
    .enum(['none', 'docker', 'python'])
    .default('none')
    .describe('Which live sandbox the workspace beside the lesson opens: a Docker engine, a Python runtime, or none.'),
  exercise: z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'an exercise slug: lowercase words joined by hyphens')
    .optional()
    .describe('Slug of the exercise (folder under exercises/) checked from this lesson.'),
});

export type LessonFields = z.infer<typeof lessonFields>;
